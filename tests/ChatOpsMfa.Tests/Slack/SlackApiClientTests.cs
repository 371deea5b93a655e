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

    private static SlackApiClient ClientFor(FakeSlackApi slack, int maxRetries = 3, TimeSpan? maxRetryAfter = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(SlackApiClient.HttpClientName);
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
