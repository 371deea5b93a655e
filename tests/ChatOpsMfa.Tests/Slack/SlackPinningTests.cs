using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The workspace and the app are pinned (auth.test and bots.info at start, or Slack:TeamId / Slack:AppId): a signed
/// payload for another workspace or app changes nothing, and a person who is not a confirmed full member of this
/// workspace never maps to an Okta login.
/// </summary>
public sealed class SlackPinningTests
{
    [Fact]
    public async Task Another_workspaces_user_with_an_unconfirmed_copy_of_alices_email_cannot_request_a_reset_for_alice()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        // Eve belongs to another workspace (she reached the bot through a shared channel) and typed Alice's address.
        slack.Users["UEVE"] = ("Eve Other", "alice@example.com");
        slack.UserOverrides["UEVE"] = new JsonObject { ["team_id"] = "T0002", ["is_email_confirmed"] = false };
        using var host = new SlackTestHost(slack);

        var answer = await host.InteractAsync(SlackPayloads.ViewSubmission("UEVE", "VEVE", "token:software:totp", "GOOGLE"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DEVE"), "the answer to Eve");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Channel is SlackTestHost.SupportChannel or "DALICE");
        Assert.Contains("UEVE", slack.CallsTo("users.info").Select(c => c.Body["user"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_guest_cannot_request_a_reset_for_the_okta_account_behind_their_email()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.UserOverrides["UALICE"] = new JsonObject { ["is_restricted"] = true };
        using var host = new SlackTestHost(slack);

        await host.InteractAsync(SlackPayloads.ViewSubmission("UALICE", "VGUEST", "push", "OKTA"));

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE"), "the answer to the guest");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(await host.AllRequestsAsync());
    }

    public static TheoryData<string> ForeignPayloads =>
    [
        "command from another workspace", "command for another app", "submission from another workspace",
        "click for another app", "event from another workspace",
    ];

    [Theory]
    [MemberData(nameof(ForeignPayloads))]
    public async Task A_signed_payload_for_another_workspace_or_app_is_refused_and_changes_nothing(string which)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var form = "application/x-www-form-urlencoded";

        var response = which switch
        {
            "command from another workspace" => await host.PostSignedAsync("/api/slack/commands",
                SlackPayloads.Command("UALICE", "trigger-foreign").Replace("team_id=T0001", "team_id=T0002", StringComparison.Ordinal), form),
            "command for another app" => await host.PostSignedAsync("/api/slack/commands",
                SlackPayloads.Command("UALICE", "trigger-foreign").Replace("api_app_id=A0001", "api_app_id=A0999", StringComparison.Ordinal), form),
            "submission from another workspace" => await host.InteractAsync(With(SlackPayloads.ViewSubmission("UALICE", "VFOREIGN", "push", "OKTA"),
                p => p["team"]!["id"] = "T0002")),
            "click for another app" => await host.InteractAsync(With(SlackPayloads.Click("UBOB", "approve", "R1", SlackTestHost.SupportChannel, "1.1", "2.2"),
                p => p["api_app_id"] = "A0999")),
            _ => await host.EventAsync(With(SlackPayloadsEvents.DirectMessage("EvFOREIGN", "UALICE", "DALICE", "mfa-reset"), p => p["team_id"] = "T0002")),
        };

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Task.Delay(300, TestContext.Current.CancellationToken); // anything queued would have called Slack by now
        Assert.Empty(slack.Calls);
        Assert.Empty(await host.AllRequestsAsync());
    }

    [Fact]
    public async Task The_installation_is_learnt_from_auth_test_and_bots_info_with_form_arguments()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        _ = host.Services;

        var bots = Assert.Single(slack.CallsTo("bots.info"));
        Assert.Equal(FakeSlackApi.BotId, bots.Body["bot"]!.GetValue<string>());
        Assert.Equal(SlackWebApiDescription.Form, bots.MediaType);
        Assert.Single(slack.CallsTo("auth.test"));
        Assert.Contains("workspace T0001", host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_team_id_the_bot_token_contradicts_stops_startup_naming_the_key()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?> { ["Slack:TeamId"] = "T0999" });

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("Slack:TeamId", error.ToString(), StringComparison.Ordinal);
    }

    private static JsonObject With(JsonObject payload, Action<JsonObject> change)
    {
        change(payload);
        return payload;
    }
}
