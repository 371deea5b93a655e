using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatOpsMfa.Tests.Okta;

public sealed class OktaClientAgainstSandboxTests : IAsyncLifetime
{
    private OktaSandbox _sandbox = null!;
    private IHost _host = null!;

    private OktaClient Client => _host.Services.GetRequiredService<OktaClient>();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        _host = OktaTestHost.PointedAt(_sandbox);
        await _host.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task GetUser_by_login_returns_the_profile_and_sends_a_valid_getUser_request()
    {
        var result = await Client.GetUserAsync("alice@example.com", TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(OktaSandboxSeed.AliceId, result.Value.Id);
        Assert.Equal("Alice Example", result.Value.DisplayName);
        Assert.Equal("ACTIVE", result.Value.Status);
        Assert.Equal("Finance", result.Value.Department);
        Assert.NotNull(result.Value.LastLogin);

        var request = Assert.Single(_sandbox.Requests);
        Assert.Equal("/api/v1/users/alice%40example.com", request.PathAndQuery);
        Assert.Equal($"SSWS {_sandbox.Token}", request.Header("Authorization"));
        Assert.StartsWith("ChatOpsMfa/", request.Header("User-Agent"), StringComparison.Ordinal);
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Empty(await validator.ValidateAsync(request, "getUser"));
    }

    [Fact]
    public async Task GetUser_for_an_unknown_login_is_a_NotFound_value()
    {
        var result = await Client.GetUserAsync("nobody@example.com", TestContext.Current.CancellationToken);

        Assert.False(result.IsSuccess);
        Assert.True(result.Error.IsNotFound);
        Assert.Equal("E0000007", result.Error.ErrorCode);
        Assert.Contains("no such user", result.Error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ListFactors_returns_the_seeded_factors_and_the_request_matches_the_official_description()
    {
        var result = await Client.ListFactorsAsync(OktaSandboxSeed.AliceId, TestContext.Current.CancellationToken);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(["push", "token:software:totp"], result.Value.Select(f => f.FactorType).Order());
        Assert.All(result.Value, f => Assert.Equal("ACTIVE", f.Status));
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Empty(await validator.ValidateAsync(Assert.Single(_sandbox.Requests), "listFactors"));
    }

    [Fact]
    public async Task Role_types_show_an_org_admin()
    {
        var carol = await Client.ListAssignedRoleTypesAsync(OktaSandboxSeed.CarolId, TestContext.Current.CancellationToken);
        var dave = await Client.ListAssignedRoleTypesAsync(OktaSandboxSeed.DaveId, TestContext.Current.CancellationToken);

        Assert.Equal(["SUPER_ADMIN"], carol.Value);
        Assert.Empty(dave.Value!);
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        foreach (var request in _sandbox.Requests)
        {
            Assert.Empty(await validator.ValidateAsync(request, "listAssignedRolesForUser"));
        }
    }

    [Fact]
    public async Task Group_membership_is_read_from_the_users_groups()
    {
        var bob = await Client.IsMemberOfGroupAsync(OktaSandboxSeed.BobId, OktaSandboxSeed.HelpDeskGroupId, TestContext.Current.CancellationToken);
        var alice = await Client.IsMemberOfGroupAsync(OktaSandboxSeed.AliceId, OktaSandboxSeed.HelpDeskGroupId, TestContext.Current.CancellationToken);

        Assert.True(bob.Value);
        Assert.False(alice.Value);
        Assert.All(_sandbox.Requests, r => Assert.EndsWith("/groups", r.Path, StringComparison.Ordinal));
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Empty(await validator.ValidateAsync(_sandbox.Requests[0], "listUserGroups"));
    }

    [Fact]
    public async Task A_wrong_token_is_an_Unauthorized_value_that_does_not_show_the_token()
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?>
        {
            ["Okta:Client:OrgUrl"] = _sandbox.BaseUrl!.ToString(),
            ["Okta:Client:Token"] = "wrong-token-value",
        });

        var result = await host.Services.GetRequiredService<OktaClient>().GetUserAsync("alice@example.com", TestContext.Current.CancellationToken);

        Assert.Equal(OktaErrorKind.Unauthorized, result.Error?.Kind);
        Assert.Equal("E0000011", result.Error?.ErrorCode);
        Assert.DoesNotContain("wrong-token-value", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_org_that_does_not_answer_is_an_Unreachable_value_naming_the_org()
    {
        // A port that was just free: nothing listens there.
        var closed = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        var url = closed.BaseUrl!;
        await closed.DisposeAsync();
        using var host = OktaTestHost.Build(new Dictionary<string, string?>
        {
            ["Okta:Client:OrgUrl"] = url.ToString(),
            ["Okta:Client:Token"] = "t",
        });

        var result = await host.Services.GetRequiredService<OktaClient>().GetUserAsync("alice@example.com", TestContext.Current.CancellationToken);

        Assert.True(result.Error?.IsUnreachable);
        Assert.StartsWith($"Okta at {url.GetLeftPart(UriPartial.Authority)} could not be reached", result.Error!.Message, StringComparison.Ordinal);
    }
}
