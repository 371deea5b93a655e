using System.Net;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.Options;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Tenant pinning: a valid Bot Framework token says Teams sent the activity, not that it came from an organisation
/// this bot serves. Another tenant's activity gets 403 before any Connector call.
/// </summary>
public sealed class TeamsTenantTests : TeamsFakeTests
{
    private const string OtherTenant = "0b0b0b0b-1111-4222-8333-444455556666";

    public static TheoryData<string, string?> Configurations => new()
    {
        { "MultiTenant", null },
        { "SingleTenant", FakeBotFramework.TenantId },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task An_approve_from_another_tenant_gets_403_before_any_Connector_call(string appType, string? appTenant)
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppTenantId"] = appTenant,
        });
        var request = await TeamsScenario.PendingRequestAsync(host);

        using var response = await host.SendSignedAsync(TeamsScenario.Approve(Bob, request, host.ServiceUrl, OtherTenant), Fake.BotFrameworkKeys[0]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await TeamsScenario.AssertNothingHappenedAsync(host, request);
        Assert.Equal(0, Fake.TokenRequests);
        Assert.Contains(host.LogLines, l => l.Contains($"Refused an activity from tenant '{OtherTenant}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_activity_whose_two_tenant_fields_disagree_or_that_names_none_gets_403()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await TeamsScenario.PendingRequestAsync(host);
        var mixed = TeamsScenario.Approve(Bob, request, host.ServiceUrl);
        mixed["channelData"]!["tenant"]!["id"] = OtherTenant;
        var none = TeamsScenario.Approve(Bob, request, host.ServiceUrl);
        none["conversation"]!.AsObject().Remove("tenantId");
        none.Remove("channelData");

        foreach (var activity in new[] { mixed, none })
        {
            using var response = await host.SendSignedAsync(activity, Fake.BotFrameworkKeys[0]);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await TeamsScenario.AssertNothingHappenedAsync(host, request);
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Staging", false)]
    public void A_multi_tenant_bot_in_Production_needs_its_allowed_tenants_and_the_error_names_the_key(string environment, bool refused)
    {
        var options = new TeamsOptions { AppId = FakeBotFramework.AppId, AppPassword = "x", SupportChannelId = SupportChannelId };
        var validator = new TeamsOptionsValidator(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment });

        var result = validator.Validate(null, options);

        Assert.Equal(refused, result.Failed);
        if (refused)
        {
            Assert.Contains("Teams:AllowedTenants is required in Production", result.FailureMessage, StringComparison.Ordinal);
            options.AllowedTenants = [FakeBotFramework.TenantId];
            Assert.True(validator.Validate(null, options).Succeeded);
        }
    }

    [Fact]
    public void Allowed_tenants_and_callers_must_be_ids_and_callers_need_the_bots_tenant()
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?>
        {
            ["Teams:AllowedTenants"] = "contoso.com",
            ["Teams:AllowedCallers"] = "3c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.Services);

        Assert.Contains("Teams:AllowedTenants entries must be Entra tenant ids", error.Message, StringComparison.Ordinal);
        Assert.Contains("Teams:AllowedCallers needs MicrosoftAppTenantId", error.Message, StringComparison.Ordinal);
    }
}
