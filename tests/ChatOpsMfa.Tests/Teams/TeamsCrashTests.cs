using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Crash;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.Options;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The Teams bot as a real process, killed (SIGKILL) right after Okta answered the enrolment and before the bot saved
/// it: the factor exists in Okta but its key reached nobody. Started again on the same database, the bot deletes that
/// factor, enrols again, and the key that reaches Alice's Teams chat is the one for the only factor Okta has.
/// The fake Bot Framework and the Okta sandbox live in this test process, so they outlive the bot.
/// </summary>
public sealed class TeamsCrashTests : TeamsFakeTests
{
    private static readonly TimeSpan ProcessRestart = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-teams-crash-").FullName;

    private string DatabasePath => Path.Combine(_folder, "teams-crash.db");

    [Fact]
    public async Task Killed_after_Okta_answered_the_enrolment_the_restarted_bot_deletes_the_lost_factor_and_the_new_key_activates()
    {
        await using var okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            string requestId;
            await using (var first = await StartAsync(okta, CrashPoints.EnrolAnswered))
            {
                await SendAsync(first, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest", TeamsActivationSteps.Totp, ServiceUrl));
                await Eventually.WaitUntilAsync(() => ApprovalCard() is not null, "the approval card", ProcessRestart);
                requestId = ApprovalCard()!["refresh"]!["action"]!["data"]!["requestId"]!.GetValue<string>();
                try
                {
                    await SendAsync(first, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "approve",
                        new JsonObject { ["verb"] = "approve", ["requestId"] = requestId }, ServiceUrl));
                }
                catch (HttpRequestException)
                {
                    // The process may die while answering the click: that is the point of the test.
                }

                await first.WaitForCrashAsync();
            }

            // Okta made a factor whose key nobody received.
            var lost = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
            Assert.Equal("PENDING_ACTIVATION", lost.Status);
            Assert.Empty(KeyCards());

            await using var second = await StartAsync(okta);
            await Eventually.WaitUntilAsync(() => KeyCards().Count > 0, "the key card from the restarted bot", ProcessRestart);
            var keyCard = TeamsCalls.CardOf(Assert.Single(KeyCards()))!;
            var factor = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
            Assert.NotEqual(lost.Id, factor.Id);
            Assert.Equal(factor.Id, CardText.Facts(keyCard)["Factor ID"]);

            var code = SandboxTotp.Code(CardText.SetupKey(keyCard)!, DateTimeOffset.UtcNow);
            await SendAsync(second, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "activate",
                new JsonObject { ["verb"] = "activate", ["requestId"] = requestId, ["passCode"] = code }, ServiceUrl));

            var store = Store();
            ResetRequest? request = null;
            await Eventually.WaitUntilAsync(() =>
            {
                request = store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult();
                return request?.State == RequestState.Completed;
            }, "the request to complete", ProcessRestart);

            var active = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
            Assert.Equal((factor.Id, "ACTIVE"), (active.Id, active.Status));
            Assert.Equal(factor.Id, request!.Result!.FactorId);
            Assert.Single(okta.Requests, r => r.OperationId == "resetFactors");
            Assert.Contains(okta.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/factors/" + lost.Id, StringComparison.Ordinal));
            Assert.Contains(await store.AuditTrailAsync(requestId, CancellationToken.None), a => a.Action == "LostEnrolmentRemoved");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string ServiceUrl => Fake.BaseUrl + "/";

    private JsonObject? ApprovalCard() =>
        Fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path == $"/v3/conversations/{SupportChannelId}/activities")
            .Select(TeamsCalls.CardOf).FirstOrDefault(c => c?["refresh"] is not null);

    private List<RecordedCall> KeyCards() =>
        Fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path == $"/v3/conversations/{Alice.PersonalConversationId}/activities"
            && CardText.SetupKey(TeamsCalls.CardOf(c)) is not null).ToList();

    private Task<HostProcess> StartAsync(OktaSandbox okta, string? crashAt = null)
    {
        var settings = TeamsTestHost.SettingsFor(Fake).ToDictionary(s => s.Key, s => s.Value ?? "");
        settings["ConnectionStrings:ChatOpsMfa"] = $"Data Source={DatabasePath}";
        settings["Okta:Client:OrgUrl"] = okta.BaseUrl!.ToString();
        settings["Okta:Client:Token"] = okta.Token;
        settings["Okta:Sandbox:Enabled"] = "false";
        settings["Outbox:RetryDelay"] = "00:00:00.100";
        settings["Outbox:PollInterval"] = "00:00:00.200";
        if (crashAt is not null)
        {
            settings["Testing:CrashAt"] = crashAt;
        }

        return HostProcess.StartAsync(settings, _folder);
    }

    private async Task SendAsync(HostProcess host, JsonObject activity)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + BotTokens.Create(Fake.BotFrameworkKeys[0], ServiceUrl));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private RequestStore Store()
    {
        // A TOTP request has no contact details to decrypt, so a key ring of its own is enough to read it.
        var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={DatabasePath};Pooling=False" }));
        return new RequestStore(database, ChatOpsMfa.Tests.Storage.TestContactProtector.Create(), new WalCheckpointer(database));
    }
}
