using System.Net;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>The SDK's configuration keys: the channel is on with MicrosoftAppId, and a missing secret stops startup.</summary>
public sealed class TeamsConfigurationTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Theory]
    [InlineData("MultiTenant", "MicrosoftAppPassword", "", null)]
    [InlineData("SingleTenant", "MicrosoftAppTenantId", FakeBotFramework.AppPassword, "")]
    [InlineData("SingleTenant", "MicrosoftAppPassword", "", FakeBotFramework.TenantId)]
    [InlineData("UserAssignedMSI", "MicrosoftAppType", FakeBotFramework.AppPassword, null)]
    public void A_missing_secret_for_the_app_type_stops_startup_naming_the_key(string appType, string key, string password, string? tenant)
    {
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppTenantId"] = tenant,
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeBotFramework.AppPassword, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_support_channel_stops_startup_naming_the_key()
    {
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?> { ["Teams:SupportChannelId"] = "" });
        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.Services);
        Assert.Contains("Teams:SupportChannelId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_MicrosoftAppId_the_channel_is_off()
    {
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?> { ["MicrosoftAppId"] = "" });

        Assert.Null(host.Services.GetRequiredService<ChannelRegistry>().Find("msteams"));
        using var response = await host.PostAsync(TeamsActivities.PersonalMessage(TeamsUsers.Alice, "hi", host.ServiceUrl), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void With_MicrosoftAppId_the_core_finds_the_msteams_channel()
    {
        using var host = new TeamsTestHost(_fake);

        var channel = host.Services.GetRequiredService<ChannelRegistry>().Find("msteams");

        Assert.NotNull(channel);
        Assert.Equal(new ConversationRef("msteams", TeamsUsers.SupportChannelId, true, FakeBotFramework.TenantId), channel.SupportConversation);
    }
}
