using System.Text.Json.Nodes;
using ChatOpsMfa.Tests.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Generated malformed activities to <c>/api/messages</c>, each with a valid Bot Framework token whose serviceurl
/// claim matches the activity, so the run gets past authentication. Senders are Mallory (a Teams member with no Okta
/// account) or strangers, never someone whose valid form would legitimately create a request.
/// </summary>
public sealed class TeamsFuzzTests
{
    private const int Inputs = 500;

    private static readonly TeamsTestUser Mallory = new("29:1mallory", "Mallory", "ma110000-0000-4000-8000-000000000009", "mallory@example.com");

    [Fact]
    public async Task Messages_endpoint_survives_malformed_activities_past_authentication()
    {
        await using var host = await RobustnessHost.StartAsync();
        Mallory.AddTo(host.Teams);
        var inputs = new MalformedInputs(seed: 2001);
        var run = new FuzzRun(host, "POST /api/messages");
        var spokenIn = new HashSet<string>(StringComparer.Ordinal);
        host.Teams.ClearCalls();
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, Inputs).Select(_ =>
        {
            var activity = Activity(inputs, host.TeamsServiceUrl);
            if ((activity["conversation"] as JsonObject)?["id"] is JsonValue id && id.TryGetValue<string>(out var conversationId))
            {
                spokenIn.Add(conversationId);
            }

            var claim = activity["serviceUrl"] is JsonValue url && url.TryGetValue<string>(out var text) ? text : host.TeamsServiceUrl;
            var token = BotTokens.Create(host.TeamsKey, claim);
            var body = inputs.Random.Next(5) == 0 ? inputs.Damage(MalformedInputs.Json(activity)) : FuzzRun.Utf8(MalformedInputs.Json(activity));
            var type = inputs.Random.Next(5) == 0 ? inputs.ContentType() : "application/json";
            var authorization = inputs.Random.Next(12) == 0 ? DirectLineFuzzTests.Authorization(inputs, token) : "Bearer " + token;
            return new FuzzInput($"{type} {DirectLineFuzzTests.Preview(body)}",
                () => FuzzRun.Request(HttpMethod.Post, "/api/messages", body, type, authorization),
                IsUnimplementedInvoke(activity) ? 501 : null);
        }));

        await run.AssertCleanAsync(baseline);
        Assert.True(run.Accepted > Inputs / 4, $"only {run.Accepted} inputs got past authentication and parsing");
        AssertOnlyRepliesToTheSender(host.Teams.ConnectorCalls, spokenIn);
    }

    /// <summary>
    /// The rule for what the bot may send while fed garbage: new plain messages or the request form, into a
    /// conversation the input came from or a 1:1 chat it opened; never an update of a posted card, and never a card
    /// about a request (approval, status or result cards all carry a requestId).
    /// </summary>
    private static void AssertOnlyRepliesToTheSender(IReadOnlyList<RecordedCall> calls, HashSet<string> spokenIn)
    {
        Assert.DoesNotContain(calls, c => c.Method == "PUT");
        var opened = calls.Where(c => c.Method == "POST" && c.Path == "/v3/conversations").Select(c => c.Body).ToList();
        foreach (var post in calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal)))
        {
            var conversationId = Uri.UnescapeDataString(post.Path.Split('/')[3]);
            Assert.True(spokenIn.Contains(conversationId) || conversationId.StartsWith("a:1on1-", StringComparison.Ordinal),
                $"the bot posted into {conversationId}, where no input came from");
            Assert.DoesNotContain("requestId", post.Body, StringComparison.Ordinal);
        }

        Assert.All(opened, body => Assert.Contains(Mallory.MemberId, body, StringComparison.Ordinal));
    }

    /// <summary>An invoke other than <c>adaptiveCard/action</c>: the Bot Framework SDK answers it 501, and so does the bot.</summary>
    private static bool IsUnimplementedInvoke(JsonObject activity) =>
        activity["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "invoke"
        && !(activity["name"] is JsonValue name && name.TryGetValue<string>(out var n) && n == "adaptiveCard/action");

    private static JsonObject Activity(MalformedInputs inputs, string serviceUrl)
    {
        var from = inputs.Random.Next(6) == 0
            ? new JsonObject { ["id"] = inputs.HostileText(), ["name"] = inputs.HostileText(), ["aadObjectId"] = inputs.AnyValue() }
            : new JsonObject { ["id"] = Mallory.MemberId, ["name"] = Mallory.Name, ["aadObjectId"] = Mallory.AadObjectId };
        var conversation = inputs.Random.Next(3) == 0 ? TeamsActivities.Channel() : TeamsActivities.Personal(Mallory);
        var activity = new JsonObject
        {
            ["type"] = inputs.Pick<JsonNode?>(["message", "message", "invoke", "invoke", "conversationUpdate", "messageReaction", inputs.AnyValue()]),
            ["id"] = "f:" + inputs.Random.Next(),
            ["serviceUrl"] = inputs.Random.Next(10) == 0
                ? inputs.Pick<JsonNode?>(["http://evil.example/", "javascript:alert(1)", "file:///etc/passwd", serviceUrl + "../../", "http://169.254.169.254/", inputs.AnyValue()])
                : serviceUrl,
            ["channelId"] = inputs.Random.Next(12) == 0 ? inputs.AnyValue() : "msteams",
            ["from"] = from,
            ["conversation"] = conversation,
            ["recipient"] = new JsonObject { ["id"] = "28:" + FakeBotFramework.AppId },
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = FakeBotFramework.TenantId } },
        };
        if (inputs.Random.Next(2) == 0)
        {
            activity["text"] = inputs.Random.Next(5) == 0 ? inputs.AnyValue() : inputs.HostileText();
        }

        if (inputs.Random.Next(2) == 0)
        {
            activity["name"] = inputs.Random.Next(4) == 0 ? inputs.AnyValue() : "adaptiveCard/action";
            var data = inputs.CardValue();
            activity["value"] = inputs.Random.Next(6) == 0 ? inputs.AnyValue() : new JsonObject
            {
                ["action"] = new JsonObject
                {
                    ["type"] = inputs.Random.Next(6) == 0 ? inputs.AnyValue() : "Action.Execute",
                    ["verb"] = data is JsonObject o ? o["verb"]?.DeepClone() : inputs.AnyValue(),
                    ["data"] = data,
                },
                ["trigger"] = "manual",
            };
        }

        return inputs.Random.Next(4) == 0 ? inputs.Mutate(activity, inputs.Random.Next(1, 3)) : activity;
    }
}
