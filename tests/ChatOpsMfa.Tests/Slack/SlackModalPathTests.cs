using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// views.open runs on its own path right after the acknowledgement: never behind the shared work queue (slow Okta or
/// Slack calls) and never behind a Retry-After sleep, because its trigger id expires 3 s after the command or click.
/// </summary>
public sealed class SlackModalPathTests
{
    [Fact]
    public async Task The_modal_opens_while_every_shared_worker_is_stuck_on_slow_work()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        // Mallory's messages each wait on a users.info that does not answer: they fill every shared worker.
        var gate = slack.Hold("users.info", body => body["user"]?.GetValue<string>() == "UMALLORY");
        for (var i = 0; i < 8; i++)
        {
            await host.EventAsync(SlackPayloadsEvents.DirectMessage("EvBUSY" + i, "UMALLORY", "DMALLORY", "hello"));
        }

        var ack = await host.CommandAsync("UALICE", "trigger-busy");

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(), "views.open while the shared queue is stuck");
        Assert.True(slack.CallsTo("views.open").Single().Ok);
        Assert.False(gate.Task.IsCompleted);
        gate.SetResult();
    }

    [Fact]
    public async Task A_rate_limited_views_open_is_not_waited_for_and_the_person_is_told()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        slack.RateLimit("views.open", 1);

        await host.CommandAsync("UALICE", "trigger-limited");

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(), "the explanation");
        Assert.Single(slack.CallsTo("views.open")); // no second try after Retry-After: the trigger would be dead by then
        Assert.Contains("3 seconds", slack.CallsTo("chat.postEphemeral").Single().AllText, StringComparison.Ordinal);
        Assert.Empty(await host.AllRequestsAsync());
    }

    [Fact]
    public async Task An_expired_trigger_from_the_form_button_is_explained_to_the_person()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var click = SlackPayloads.Click("UALICE", "openRequestForm", "open", "DALICE", "1700000000.000100", "5.5");
        click["trigger_id"] = "expired-button-trigger";

        await host.InteractAsync(click);

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(), "the explanation");
        var told = slack.CallsTo("chat.postEphemeral").Single();
        Assert.Equal("UALICE", told.Body["user"]!.GetValue<string>());
        Assert.Equal("DALICE", told.Channel);
        Assert.Contains("expired_trigger_id", told.AllText, StringComparison.Ordinal);
        Assert.Contains("click the button again", told.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_ssl_check_is_answered_200_and_runs_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        await host.PostSignedRunsNothingAsync("/api/slack/commands", "ssl_check=1&token=abc", "application/x-www-form-urlencoded", HttpStatusCode.OK);
    }

    public static TheoryData<string, string, string> Unhandled => new()
    {
        // app_rate_limited as docs.slack.dev shows it: a workspace went over 30,000 events an hour.
        { "/api/slack/events", """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","type":"app_rate_limited","team_id":"T0001","minute_rate_limited":1518467820,"api_app_id":"A0001"}""", "application/json" },
        { "/api/slack/events", """{"type":"app_uninstalled_team","team_id":"T0001","api_app_id":"A0001"}""", "application/json" },
        { "/api/slack/interactions", SlackPayloads.Form("payload", """{"type":"shortcut","team":{"id":"T0001"},"api_app_id":"A0001","user":{"id":"UBOB"},"callback_id":"x","trigger_id":"t"}"""), "application/x-www-form-urlencoded" },
    };

    [Theory]
    [MemberData(nameof(Unhandled))]
    public async Task A_signed_envelope_of_a_type_the_bot_does_not_handle_is_answered_200_and_runs_nothing(string path, string body, string contentType)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        await host.PostSignedRunsNothingAsync(path, body, contentType, HttpStatusCode.OK);
    }

    [Fact]
    public void The_notice_modal_passes_slacks_modal_rules()
    {
        Assert.Empty(FakeSlackRules.ModalViolations(ChatOpsMfa.Channels.Slack.BlockKit.NoticeModal.Render(new string('x', 5000))));
        Assert.NotNull(JsonNode.Parse(ChatOpsMfa.Channels.Slack.BlockKit.NoticeModal.Render("hi").ToJsonString()));
    }
}
