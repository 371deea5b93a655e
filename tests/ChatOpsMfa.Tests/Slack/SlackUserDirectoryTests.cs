using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// users.info → ChatUser: the Slack id stays the id, and the configured profile attribute becomes the email only for a
/// confirmed full member of this installation's workspace.
/// </summary>
public sealed class SlackUserDirectoryTests
{
    [Fact]
    public async Task The_profile_email_becomes_the_chat_users_email()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var user = await DirectoryFor(slack, "email").FindAsync("UALICE", null, TestContext.Current.CancellationToken);

        Assert.Equal(new Channels.ChatUser("UALICE", "Alice Example", "alice@example.com"), user);
        Assert.Equal("UALICE", slack.CallsTo("users.info").Single().Body["user"]!.GetValue<string>());
        Assert.Equal(SlackWebApiDescription.Form, slack.CallsTo("users.info").Single().MediaType);
    }

    public static TheoryData<string, string> NotAMember => new()
    {
        { "team_id", "\"T0002\"" },          // another workspace's user (a Slack Connect channel, say)
        { "is_email_confirmed", "false" },   // an address the person typed but never confirmed
        { "is_email_confirmed", "null" },    // Slack did not say
        { "is_restricted", "true" },         // multi-channel guest
        { "is_ultra_restricted", "true" },   // single-channel guest
        { "is_stranger", "true" },           // another organisation's user
        { "is_bot", "true" },
        { "is_app_user", "true" },
        { "deleted", "true" },
    };

    [Theory]
    [MemberData(nameof(NotAMember))]
    public async Task Anyone_but_a_confirmed_full_member_of_this_workspace_gets_no_email(string field, string value)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.UserOverrides["UALICE"] = new JsonObject { [field] = JsonNode.Parse(value) };
        var directory = DirectoryFor(slack, "email");

        var user = await directory.FindAsync("UALICE", null, TestContext.Current.CancellationToken);
        var byEmail = await directory.FindByEmailAsync("alice@example.com", TestContext.Current.CancellationToken);

        Assert.Null(user.Email);
        Assert.Null(byEmail);
    }

    [Fact]
    public async Task Before_the_installation_is_known_nobody_gets_an_email()
    {
        await using var slack = await FakeSlackApi.StartAsync();

        var user = await DirectoryFor(slack, "email", pinned: false).FindAsync("UALICE", null, TestContext.Current.CancellationToken);

        Assert.Null(user.Email);
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

    private static SlackUserDirectory DirectoryFor(FakeSlackApi slack, string attribute, bool pinned = true)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(SlackApiClient.HttpClientName);
        var options = Options.Create(new SlackOptions { BotToken = FakeSlackApi.BotToken, ApiBaseUrl = slack.BaseUrl, EmailAttribute = attribute });
        var api = new SlackApiClient(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(), options, TimeProvider.System,
            NullLogger<SlackApiClient>.Instance);
        var installation = new SlackInstallation();
        if (pinned)
        {
            installation.Pin(FakeSlackApi.TeamId, null, FakeSlackApi.AppId);
        }

        return new SlackUserDirectory(api, installation, options, TimeProvider.System);
    }
}
