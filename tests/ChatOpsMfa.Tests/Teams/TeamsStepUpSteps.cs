using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The steps the issue-11 Teams tests share: the host with the approver step-up on (Okta Verify push, polled fast),
/// a request asked for and approved through signed activities, and the sandbox's pushes answered as a phone would.
/// </summary>
internal static class TeamsStepUpSteps
{
    /// <summary>The host settings: step-up by Okta Verify push, polled every 200 ms, plus <paramref name="extra"/>.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Approvals:ApproverVerification"] = "OktaVerifyPush",
            ["Approvals:VerificationPollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary><paramref name="who"/> asks for a new TOTP factor in their personal chat; returns the request once its
    /// approval card and status card are posted. Recording starts afresh after.</summary>
    public static async Task<ResetRequest> AskAsync(TeamsTestHost host, TeamsTestUser who)
    {
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(who, TeamsActivities.Personal(who), "submitRequest",
            TeamsActivationSteps.Totp, host.ServiceUrl));
        var request = Assert.Single(await host.AllRequestsAsync());
        var posted = await TeamsActivationSteps.WaitForAsync(host, request.Id,
            r => r.ApprovalMessage is not null && r.StatusMessage is not null, "the approval and status cards");
        await TeamsActivationSteps.OutboxSettledAsync(host);
        return posted;
    }

    /// <summary>An approver's click in the support channel, on the approval card; returns the invoke response body.</summary>
    public static Task<JsonObject> ClickAsync(TeamsTestHost host, TeamsTestUser by, ResetRequest request, string verb) =>
        TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(by, TeamsActivities.Channel(), verb,
            new JsonObject { ["verb"] = verb, ["requestId"] = request.Id }, host.ServiceUrl, request.ApprovalMessage!.MessageId));

    /// <summary>The Okta Verify push the sandbox is holding for <paramref name="oktaUserId"/> (waits until it arrives).</summary>
    public static async Task<PendingPushChallenge> PushForAsync(TeamsTestHost host, string oktaUserId)
    {
        await Eventually.WaitUntilAsync(() => OktaOf(host).PendingPushChallenges.Any(p => p.UserId == oktaUserId), $"a push to {oktaUserId}");
        return OktaOf(host).PendingPushChallenges.Single(p => p.UserId == oktaUserId);
    }

    /// <summary>The approver accepts the push on their phone.</summary>
    public static async Task AcceptPushAsync(TeamsTestHost host, string oktaUserId)
    {
        var push = await PushForAsync(host, oktaUserId);
        Assert.True(OktaOf(host).ApprovePushChallenge(oktaUserId, push.TransactionId));
    }

    /// <summary>Waits (bounded) for a line in the request's thread containing <paramref name="text"/>, and returns it.</summary>
    public static async Task<string> ThreadLineAsync(TeamsTestHost host, ResetRequest request, string text)
    {
        for (var i = 0; i < 300 && !TeamsActivationSteps.ThreadLines(host, request).Any(l => l.Contains(text, StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(TeamsActivationSteps.ThreadLines(host, request).Any(l => l.Contains(text, StringComparison.Ordinal)),
            $"No thread line contains '{text}'; the thread has: {string.Join(" | ", TeamsActivationSteps.ThreadLines(host, request))}");
        return TeamsActivationSteps.ThreadLines(host, request).First(l => l.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Waits (bounded) until the request's audit trail has a row with this action.</summary>
    public static async Task AuditedAsync(TeamsTestHost host, ResetRequest request, string action)
    {
        for (var i = 0; i < 300; i++)
        {
            if ((await host.Store.AuditTrailAsync(request.Id, CancellationToken.None)).Any(a => a.Action == action))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Timed out waiting for the audit row {action}.");
    }

    /// <summary>The approval card as Teams now shows it to everyone (its post or last accepted update), as JSON text.</summary>
    public static string ApprovalCardNow(TeamsTestHost host, ResetRequest request) =>
        Shown(TeamsActivationSteps.CardNow(host, request.ApprovalMessage!));

    /// <summary>Every text of a card or invoke answer, one per line: what a person reads, unescaped.</summary>
    public static string Shown(System.Text.Json.Nodes.JsonNode? node) => string.Join("\n", Cards.CardText.AllStrings(node));

    /// <summary>Whether the bot asked Okta to reset anyone's factors.</summary>
    public static bool ResetAtOkta(TeamsTestHost host) => OktaOf(host).Requests.Any(r => r.OperationId == "resetFactors");

    public static OktaSandbox OktaOf(TeamsTestHost host) => TeamsActivationSteps.Sandbox(host);

    /// <summary>Adds the Teams members the issue-11 tests use to the fake Connector (the support team's roster).</summary>
    public static void AddPeople(Fakes.FakeBotFramework fake, params TeamsTestUser[] people)
    {
        foreach (var person in people)
        {
            person.AddTo(fake);
        }
    }

    public static readonly TeamsTestUser[] Everyone = [Alice, Bob, Carol, Dave, Erin];
}
