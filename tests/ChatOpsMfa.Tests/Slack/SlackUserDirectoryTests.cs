using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>users.info → ChatUser: the Slack id stays the id, the configured profile attribute becomes the email.</summary>
public sealed class SlackUserDirectoryTests
{
    [Fact]
    public async Task The_profile_email_becomes_the_chat_users_email()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var user = await DirectoryFor(slack, "email").FindAsync("UALICE", null, TestContext.Current.CancellationToken);

        Assert.Equal(new Channels.ChatUser("UALICE", "Alice Example", "alice@example.com"), user);
        Assert.Equal("UALICE", slack.CallsTo("users.info").Single().Body["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_configured_attribute_the_profile_lacks_gives_no_email_so_the_core_refuses()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var user = await DirectoryFor(slack, "okta_login").FindAsync("UALICE", null, TestContext.Current.CancellationToken);

        Assert.Null(user.Email);
    }

    [Fact]
    public async Task Answers_are_cached_so_a_burst_of_clicks_makes_one_call()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var directory = DirectoryFor(slack, "email");

        await directory.FindAsync("UBOB", null, TestContext.Current.CancellationToken);
        await directory.FindAsync("UBOB", null, TestContext.Current.CancellationToken);

        Assert.Single(slack.CallsTo("users.info"));
    }

    private static SlackUserDirectory DirectoryFor(FakeSlackApi slack, string attribute)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(SlackApiClient.HttpClientName);
        var options = Options.Create(new SlackOptions { BotToken = FakeSlackApi.BotToken, ApiBaseUrl = slack.BaseUrl, EmailAttribute = attribute });
        var api = new SlackApiClient(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(), options, TimeProvider.System,
            NullLogger<SlackApiClient>.Instance);
        return new SlackUserDirectory(api, options, TimeProvider.System);
    }
}
