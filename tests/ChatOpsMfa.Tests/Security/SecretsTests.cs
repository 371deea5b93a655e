using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Flow;
using ChatOpsMfa.Tests.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Security;

/// <summary>
/// Runs full flows (success, SMS, failure, refusal, deny) with every secret configured to a recognisable value, then
/// searches everything the bot wrote: every log line with its exception text, the audit table, the stored requests,
/// the outbox, every chat message on every channel. The only place an activation secret may appear is the private
/// result sent to the person whose MFA it is.
/// </summary>
public class SecretsTests
{
    private const string OktaToken = "00okta-LEAK-CANARY-token-5f2b9c";
    private const string BotPassword = "teams-LEAK-CANARY-password-77aa";
    private const string SlackSigningSecret = "slack-LEAK-CANARY-signing-0c1d";
    private const string SlackBotToken = "xoxb-LEAK-CANARY-bot-token-9e8f";
    private const string SlackAppToken = "xapp-LEAK-CANARY-app-token-4b3a";
    private const string AuditKey = "audit-LEAK-CANARY-api-key-1234567";
    private const string Phone = "+14155554567";

    [Fact]
    public async Task No_secret_token_TOTP_key_or_full_phone_number_appears_in_anything_the_bot_wrote()
    {
        using var host = new FlowHost(new Dictionary<string, string?>
        {
            ["Okta:Sandbox:Token"] = OktaToken,
            ["MicrosoftAppId"] = "11111111-2222-3333-4444-555555555555",
            ["MicrosoftAppPassword"] = BotPassword,
            ["MicrosoftAppType"] = "MultiTenant",
            ["Teams:SupportChannelId"] = "19:support@thread.tacv2",
            ["Slack:SigningSecret"] = SlackSigningSecret,
            ["Slack:BotToken"] = SlackBotToken,
            ["Slack:AppToken"] = SlackAppToken,
            ["Slack:ApiBaseUrl"] = "http://127.0.0.1:9/api/",
            ["Slack:SupportChannelId"] = "C0SUPPORT",
            ["Audit:ApiKeys:0"] = AuditKey,
            ["Logging:LogLevel:Default"] = "Trace",
        });

        // 1. A TOTP reset through the channel-neutral bot, and one through the local web chat's Direct Line API.
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var totp = await host.OnlyRequestAsync();
        await host.ClickAsync(Alice, "approve", totp.Id);         // refused: the requester
        await host.ClickAsync(Mallory, "approve", totp.Id);       // refused: not an approver
        await host.ClickAsync(Bob, "approve", totp.Id);
        await host.WaitForAsync(totp.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Chat.Sent.Any(m => m.Message.Card?.Template == "result"), "the TOTP result");
        var secrets = new List<string> { host.Chat.Sent.First(m => m.Message.Card?.Template == "result").Message.Card!.Data["sharedSecret"]!.GetValue<string>() };
        // A wrong code, then the right one: neither may appear anywhere.
        await host.EnterCodeAsync(Alice, totp.Id, "000000");
        secrets.Add(host.TotpCodeFor(secrets[0]));
        await host.ActivateAsync(Alice, totp.Id);

        var directLine = new DirectLineTestClient(host.CreateClient());
        var dave = new Channels.ChatUser("dave", "Dave Manager", "dave@example.com");
        var (daveConversation, daveToken) = await directLine.StartPersonalAsync("dave");
        await directLine.PostActivityAsync(daveConversation, daveToken, new JsonObject
        {
            ["type"] = "message", ["from"] = new JsonObject { ["id"] = "dave" },
            ["value"] = new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|OKTA" },
        });
        var daveRequest = (await host.Store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None)).Single();
        var (support, bobToken) = await directLine.GenerateAsync("bob", "support");
        await directLine.PostActivityAsync(support, bobToken, new JsonObject
        {
            ["type"] = "message", ["from"] = new JsonObject { ["id"] = "bob" },
            ["value"] = new JsonObject { ["verb"] = "approve", ["requestId"] = daveRequest.Id },
        });
        await host.WaitForAsync(daveRequest.Id, RequestState.AwaitingActivation);
        List<JsonObject> daveSees = [];
        await Eventually.WaitUntilAsync(() =>
        {
            daveSees = directLine.ReadAsync(daveConversation, daveToken).GetAwaiter().GetResult().Activities;
            return daveSees.Any(a => a.ToJsonString().Contains("Setup key", StringComparison.Ordinal));
        }, "Dave's private result");
        var daveResult = daveSees.Single(a => a.ToJsonString().Contains("Setup key", StringComparison.Ordinal));
        secrets.Add(Cards.CardText.SetupKey(daveResult)!);
        var daveCode = host.TotpCodeFor(secrets[^1]);
        secrets.Add(daveCode);
        await directLine.PostActivityAsync(daveConversation, daveToken, new JsonObject
        {
            ["type"] = "message", ["from"] = new JsonObject { ["id"] = "dave" },
            ["value"] = new JsonObject { ["verb"] = "activate", ["requestId"] = daveRequest.Id, ["passCode"] = daveCode },
        });
        await host.WaitForAsync(daveRequest.Id, RequestState.Completed);

        // 2. An SMS reset with a phone number, that Okta refuses first (a failure with an error text), then retried.
        host.Okta.FailNext(400, "E0000001", "Api validation failed: factorEnrollRequest", operationId: "enrollFactor");
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "sms|OKTA", ["phoneNumber"] = "+1 (415) 555-4567" });
        var sms = (await host.Store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None)).Single();
        await host.ClickAsync(Bob, "approve", sms.Id);
        await host.ClickAsync(Erin, "approve", sms.Id); // a second reset in a day needs two approvers
        await host.WaitForAsync(sms.Id, RequestState.EnrollFailed);
        await host.ClickAsync(Erin, "retry", sms.Id);
        await host.WaitForAsync(sms.Id, RequestState.AwaitingActivation);
        await host.ResendAsync(Alice, sms.Id);
        secrets.Add(host.LatestCodeSentTo(sms.Target.OktaUserId));
        await host.ActivateAsync(Alice, sms.Id);

        // 3. A denied request that had a phone number.
        await host.SubmitAsync(dave, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "call|OKTA", ["phoneNumber"] = Phone });
        var denied = (await host.Store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None)).Single();
        await host.ClickAsync(Bob, "deny", denied.Id);

        // 4. The audit export, with its key.
        var http = host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", AuditKey);
        var export = await http.GetStringAsync("/api/audit?limit=1000", TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => host.Services.GetRequiredService<Outbox>().CountAsync(CancellationToken.None).GetAwaiter().GetResult() == 0, "the outbox to drain");

        // Everything the bot wrote, by place.
        var places = new Dictionary<string, string>
        {
            ["logs (with exception texts)"] = host.Logs.AllText,
            ["audit table"] = await DumpAsync(host, "SELECT * FROM audit"),
            ["requests table"] = await DumpAsync(host, "SELECT * FROM requests"),
            ["outbox table"] = await DumpAsync(host, "SELECT * FROM outbox"),
            ["audit export"] = export,
            ["chat messages except the private results"] = string.Join("\n", host.Chat.Sent.Where(m => m.Message.Card?.Template != "result").Select(m => m.Visible)),
            ["local web chat, support channel"] = string.Join("\n", (await directLine.ReadAsync(support, bobToken)).Activities.Select(a => a.ToJsonString())),
            ["local web chat, Dave's chat except his result"] = string.Join("\n", daveSees.Where(a => a != daveResult).Select(a => a.ToJsonString())),
        };
        var forbidden = new Dictionary<string, string>
        {
            ["Okta API token"] = OktaToken,
            ["Teams bot password"] = BotPassword,
            ["Slack signing secret"] = SlackSigningSecret,
            ["Slack bot token"] = SlackBotToken,
            ["Slack app token"] = SlackAppToken,
            ["audit API key"] = AuditKey,
            ["full phone number"] = "4155554567",
        };
        for (var i = 0; i < secrets.Count; i++)
        {
            forbidden[$"TOTP shared secret #{i + 1}"] = secrets[i];
        }

        var leaks = (from place in places from secret in forbidden
                     where place.Value.Contains(secret.Value, StringComparison.OrdinalIgnoreCase)
                     select $"{secret.Key} in {place.Key}").ToList();
        Assert.True(leaks.Count == 0, "Leaked: " + string.Join("; ", leaks));

        // The places searched really hold the flows (a search of empty text would prove nothing).
        Assert.Contains("+1 ••• ••• 4567", places["chat messages except the private results"]);
        Assert.Contains("Okta", places["logs (with exception texts)"]);
        Assert.Contains("EnrollFailed", places["audit table"]);
        Assert.Contains("Approve", places["audit export"]);
        Assert.All(secrets, s => Assert.Matches("^[A-Z2-7]{16,}$", s));
    }

    private static async Task<string> DumpAsync(FlowHost host, string sql)
    {
        await using var connection = await host.Services.GetRequiredService<SqliteDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var text = new StringBuilder();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i)).Append('|');
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
