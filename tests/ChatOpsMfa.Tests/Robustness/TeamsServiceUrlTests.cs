using System.Net;
using ChatOpsMfa.Tests.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// An authenticated activity whose serviceUrl the bot may not send to (found by the fuzzing): the bot could never
/// answer it, and used to fail twice (the reply, then the apology) into a 500 with an exception in the log.
/// </summary>
public sealed class TeamsServiceUrlTests
{
    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://169.254.169.254/")]
    [InlineData("https://evil.example/")]
    public async Task Activity_with_an_untrusted_service_url_is_refused_with_403_and_nothing_is_sent(string serviceUrl)
    {
        await using var host = await RobustnessHost.StartAsync();
        var activity = TeamsActivities.PersonalMessage(TeamsUsers.Alice, "/mfa-reset", serviceUrl);
        var baseline = await host.SnapshotAsync();

        using var response = await host.CreateClient().SendAsync(FuzzRun.Request(HttpMethod.Post, "/api/messages",
            FuzzRun.Utf8(activity.ToJsonString()), "application/json", "Bearer " + BotTokens.Create(host.TeamsKey, serviceUrl)),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(host.Teams.ConnectorCalls);
        Assert.Empty(host.Errors.Entries);
        Assert.Equal(baseline, await host.SnapshotAsync());
    }
}
