using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>The Web API client against the fake Slack: ok:false errors, 429 with Retry-After, the retry bound.</summary>
public sealed class SlackApiClientTests
{
    [Fact]
    public async Task Ok_false_becomes_an_error_naming_slacks_error_code()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var client = ClientFor(slack);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            client.CallAsync("users.info", new JsonObject { ["user"] = "UNOBODY" }, TestContext.Current.CancellationToken));

        Assert.Equal("user_not_found", error.Error);
        Assert.Contains("users.info", error.Message, StringComparison.Ordinal);
        Assert.Contains("user_not_found", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSlackApi.BotToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limited_call_waits_for_retry_after_and_succeeds()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var client = ClientFor(slack);
        slack.RateLimit("users.info", 1);

        var answer = await client.CallAsync("users.info", new JsonObject { ["user"] = "UALICE" }, TestContext.Current.CancellationToken);

        Assert.Equal("alice@example.com", answer["user"]!["profile"]!["email"]!.GetValue<string>());
        Assert.Equal(2, slack.CallsTo("users.info").Count());
    }

    [Fact]
    public async Task Rate_limiting_beyond_the_bound_fails_with_ratelimited()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var client = ClientFor(slack, maxRetries: 1);
        slack.RateLimit("users.info", 5);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            client.CallAsync("users.info", new JsonObject { ["user"] = "UALICE" }, TestContext.Current.CancellationToken));

        Assert.Equal("ratelimited", error.Error);
        Assert.Equal(2, slack.CallsTo("users.info").Count());
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_bound_is_not_waited_for()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var client = ClientFor(slack, maxRetryAfter: TimeSpan.FromMilliseconds(500));
        slack.RateLimit("users.info", 1);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            client.CallAsync("users.info", new JsonObject { ["user"] = "UALICE" }, TestContext.Current.CancellationToken));

        Assert.Equal("ratelimited", error.Error);
        Assert.Single(slack.CallsTo("users.info"));
    }

    [Fact]
    public async Task A_read_that_meets_a_5xx_is_retried_and_succeeds()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.FailHttp("users.info", 503, times: 1);

        var answer = await ClientFor(slack).CallAsync("users.info", new JsonObject { ["user"] = "UALICE" }, TestContext.Current.CancellationToken);

        Assert.Equal("UALICE", answer["user"]!["id"]!.GetValue<string>());
        Assert.Equal(2, slack.CallsTo("users.info").Count());
    }

    [Fact]
    public async Task A_read_that_times_out_is_retried_a_bounded_number_of_times()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.Stall("users.info", TimeSpan.FromSeconds(2), times: 10);

        var error = await Assert.ThrowsAsync<SlackApiException>(() =>
            ClientFor(slack, timeout: TimeSpan.FromMilliseconds(300)).CallAsync("users.info", new JsonObject { ["user"] = "UALICE" }, TestContext.Current.CancellationToken));

        Assert.Equal("timeout", error.Error);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("users.info").Count() == 3, "the stalled calls to be recorded");
    }

    [Fact]
    public async Task A_post_that_meets_a_5xx_or_a_timeout_is_not_repeated()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.FailHttp("chat.postMessage", 502, times: 1);
        var client = ClientFor(slack, timeout: TimeSpan.FromMilliseconds(300));
        var post = new JsonObject { ["channel"] = "CSUPPORT", ["text"] = "hello" };

        var failed = await Assert.ThrowsAsync<SlackApiException>(() => client.CallAsync("chat.postMessage", post, TestContext.Current.CancellationToken));
        slack.Stall("chat.postMessage", TimeSpan.FromSeconds(2), times: 1);
        var timedOut = await Assert.ThrowsAsync<SlackApiException>(() => client.CallAsync("chat.postMessage", post, TestContext.Current.CancellationToken));

        Assert.Equal("http_502", failed.Error);
        Assert.Equal("timeout", timedOut.Error);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Count() >= 2, "the stalled post to be recorded");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(2, slack.CallsTo("chat.postMessage").Count()); // one each: a post that may have been posted is never sent twice
    }

    [Fact]
    public async Task A_method_that_takes_json_is_sent_a_json_body_with_json_values_as_json()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        await ClientFor(slack).CallAsync("chat.postMessage", new JsonObject
        {
            ["channel"] = "CSUPPORT", ["text"] = "hi", ["unfurl_links"] = false,
            ["blocks"] = new JsonArray(new JsonObject { ["type"] = "divider" }),
        }, TestContext.Current.CancellationToken);

        var call = slack.CallsTo("chat.postMessage").Single();
        Assert.True(call.Ok, call.Answer.ToJsonString());
        Assert.Equal(SlackWebApiDescription.Json, call.MediaType);
        Assert.False(call.Body["unfurl_links"]!.GetValue<bool>());
        Assert.Equal("divider", call.Body["blocks"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_view_kept_serialised_is_sent_as_a_json_object_and_bad_json_is_never_sent()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var view = """{"type":"modal","title":{"type":"plain_text","text":"Reset MFA"},"blocks":[{"type":"divider"}]}""";

        await ClientFor(slack).CallAsync("views.open", new JsonObject { ["trigger_id"] = "trigger-1", ["view"] = view },
            TestContext.Current.CancellationToken);

        var call = slack.CallsTo("views.open").Single();
        Assert.True(call.Ok, call.Answer.ToJsonString());
        Assert.Equal(SlackWebApiDescription.Json, call.MediaType);
        Assert.Equal("Reset MFA", call.Body["view"]!["title"]!["text"]!.GetValue<string>());

        // A "view" that is not JSON fails in the bot, before anything reaches Slack.
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => ClientFor(slack).CallAsync("views.open",
            new JsonObject { ["trigger_id"] = "trigger-2", ["view"] = "{not json" }, TestContext.Current.CancellationToken));
        Assert.Single(slack.CallsTo("views.open"));
    }

    [Fact]
    public async Task A_method_that_reads_only_form_arguments_is_sent_a_form()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var answer = await ClientFor(slack).CallAsync("users.info", new JsonObject { ["user"] = "UBOB" }, TestContext.Current.CancellationToken);

        var call = slack.CallsTo("users.info").Single();
        Assert.Equal(SlackWebApiDescription.Form, call.MediaType);
        Assert.Equal("UBOB", answer["user"]!["id"]!.GetValue<string>()); // read, so found: as JSON it would be user_not_found
    }

    [Theory]
    [InlineData("auth.test")]
    [InlineData("bots.info")]
    [InlineData("users.info")]
    [InlineData("users.lookupByEmail")]
    [InlineData("conversations.open")]
    [InlineData("chat.postMessage")]
    [InlineData("chat.postEphemeral")]
    [InlineData("chat.update")]
    [InlineData("chat.delete")]
    [InlineData("files.delete")]
    [InlineData("views.open")]
    [InlineData("views.update")]
    public void Json_is_sent_exactly_where_slacks_description_lists_it(string method)
    {
        // Slack's own description (tests/specs/slack), not the fake: a method whose "consumes" lacks application/json
        // must be sent form arguments, since Slack does not read a JSON body there.
        var rules = SlackWebApiDescription.Instance.Find(method);
        Assert.NotNull(rules);
        Assert.Equal(rules.Reads(SlackWebApiDescription.Json), SlackMethods.TakesJson(method));
    }

    [Fact]
    public async Task The_bot_token_is_sent_as_a_bearer_token()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        await ClientFor(slack).CallAsync("users.info", new JsonObject { ["user"] = "UBOB" }, TestContext.Current.CancellationToken);

        Assert.Equal("Bearer " + FakeSlackApi.BotToken, slack.CallsTo("users.info").Single().Authorization);
    }

    [Fact]
    public void Options_never_print_secrets()
    {
        var options = new SlackOptions { BotToken = "xoxb-secret-1", AppToken = "xapp-secret-2", SigningSecret = "signing-secret-3" };
        var printed = options.ToString();

        Assert.DoesNotContain("secret-1", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-2", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-3", printed, StringComparison.Ordinal);
    }

    private static SlackApiClient ClientFor(FakeSlackApi slack, int maxRetries = 3, TimeSpan? maxRetryAfter = null, TimeSpan? timeout = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(SlackApiClient.HttpClientName, http => http.Timeout = timeout ?? TimeSpan.FromSeconds(10));
        var factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var options = Options.Create(new SlackOptions
        {
            BotToken = FakeSlackApi.BotToken,
            ApiBaseUrl = slack.BaseUrl,
            MaxRateLimitRetries = maxRetries,
            MaxRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(30),
        });
        return new SlackApiClient(factory, options, TimeProvider.System, NullLogger<SlackApiClient>.Instance);
    }
}
