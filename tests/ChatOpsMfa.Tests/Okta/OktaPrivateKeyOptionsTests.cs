using ChatOpsMfa.Okta;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>Issue 12 point 4: PrivateKey mode's configuration stops startup naming the key, and never shows the key.</summary>
public sealed class OktaPrivateKeyOptionsTests : IDisposable
{
    private readonly OktaPrivateKeyKit _kit = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> RealOrg()
    {
        var settings = _kit.ClientSettings();
        settings["Okta:Client:OrgUrl"] = "https://example.okta.com";
        return settings;
    }

    private async Task<string> StartupErrorAsync(Dictionary<string, string?> settings)
    {
        using var host = OktaTestHost.Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));
        Assert.All(_kit.PrivateMembers, m => Assert.DoesNotContain(m, error.ToString(), StringComparison.Ordinal));
        return error.Message;
    }

    [Fact]
    public async Task A_complete_service_app_starts_without_any_api_token()
    {
        using var host = OktaTestHost.Build(RealOrg());
        await host.StartAsync(Ct);

        var endpoint = host.Services.GetRequiredService<OktaEndpoint>();
        Assert.True(endpoint.UsesPrivateKey);
        Assert.Equal("https://example.okta.com/oauth2/v1/token", endpoint.TokenUrl.ToString());
        Assert.Equal(OktaEndpoint.NoApiToken, endpoint.ApiToken);
        await host.StopAsync(Ct);
    }

    [Theory]
    [InlineData("Okta:Client:ClientId")]
    [InlineData("Okta:Client:PrivateKey:d")]
    [InlineData("Okta:Client:PrivateKey:qi")]
    [InlineData("Okta:Client:PrivateKey:kid")]
    [InlineData("Okta:Client:PrivateKey:n")]
    public async Task A_missing_setting_stops_startup_naming_the_key(string key)
    {
        var settings = RealOrg();
        settings.Remove(key);

        Assert.Contains(key, await StartupErrorAsync(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_scopes_or_no_key_at_all_stop_startup_naming_the_key()
    {
        var settings = RealOrg();
        foreach (var key in settings.Keys.Where(k => k.StartsWith("Okta:Client:Scopes:", StringComparison.Ordinal) || k.StartsWith("Okta:Client:PrivateKey:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(key);
        }

        var message = await StartupErrorAsync(settings);

        Assert.Contains("Okta:Client:Scopes is missing", message, StringComparison.Ordinal);
        Assert.Contains("Okta:Client:PrivateKey is missing", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_whose_parts_do_not_belong_together_is_refused_without_showing_it()
    {
        using var other = new OktaPrivateKeyKit();
        var settings = RealOrg();
        settings["Okta:Client:PrivateKey:n"] = other.ClientSettings()["Okta:Client:PrivateKey:n"];

        Assert.Contains("Okta:Client:PrivateKey", await StartupErrorAsync(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_base64url_is_refused_without_quoting_it()
    {
        var settings = RealOrg();
        settings["Okta:Client:PrivateKey:d"] = "!!not*base64url!!" + _kit.PrivateMembers[0];

        var message = await StartupErrorAsync(settings);

        Assert.Contains("Okta:Client:PrivateKey is not a valid RSA JWK", message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64url", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ec_key_is_refused_naming_kty()
    {
        var settings = RealOrg();
        settings["Okta:Client:PrivateKey:kty"] = "EC";

        Assert.Contains("Okta:Client:PrivateKey:kty must be RSA", await StartupErrorAsync(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_token_beside_the_service_app_is_refused_so_none_is_held()
    {
        const string token = "00aSECRETtokenVALUE-do-not-print";
        var settings = RealOrg();
        settings["Okta:Client:Token"] = token;

        var message = await StartupErrorAsync(settings);

        Assert.Contains("Okta:Client:Token must not be set", message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_must_run_in_the_same_mode_as_the_client()
    {
        var settings = _kit.ClientSettings();
        settings["Okta:Sandbox:Enabled"] = "true";

        Assert.Contains("Okta:Sandbox:AuthorizationMode", await StartupErrorAsync(settings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_in_private_key_mode_needs_the_public_key_only()
    {
        var settings = _kit.HostSettings();
        settings["Okta:Sandbox:Enabled"] = "true";
        settings["Okta:Sandbox:ClientPublicKey:d"] = _kit.PrivateMembers[0];

        var message = await StartupErrorAsync(settings);

        Assert.Contains("Okta:Sandbox:ClientPublicKey must hold only the public key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_object_never_shows_its_material()
    {
        var key = new OktaJsonWebKey { Kty = "RSA", Kid = "k1", D = _kit.PrivateMembers[0] };

        Assert.Equal("RSA JWK kid=k1", key.ToString());
    }

    public void Dispose() => _kit.Dispose();
}
