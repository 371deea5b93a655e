using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Okta;

public sealed class OktaOptionsTests
{
    private const string SecretToken = "00aSECRETtokenVALUE-do-not-print";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_token_stops_startup_naming_the_key()
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?> { ["Okta:Client:OrgUrl"] = "https://example.okta.com" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Okta:Client:Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_org_url_stops_startup_naming_the_key()
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?> { ["Okta:Client:Token"] = SecretToken });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Okta:Client:OrgUrl", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretToken, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.okta.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://localhost.evil.example")]
    public async Task Plain_http_to_a_remote_host_is_refused_without_showing_the_token(string orgUrl)
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?>
        {
            ["Okta:Client:OrgUrl"] = orgUrl,
            ["Okta:Client:Token"] = SecretToken,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretToken, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://127.8.9.10")]
    [InlineData("http://[::1]:5000")]
    [InlineData("https://example.okta.com")]
    public void Https_or_loopback_http_is_accepted(string orgUrl)
    {
        var validator = new OktaClientOptionsValidator(Options.Create(new OktaSandboxOptions()));

        var result = validator.Validate(null, new OktaClientOptions { OrgUrl = orgUrl, Token = SecretToken });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public async Task Sandbox_mode_needs_neither_org_nor_token_and_the_endpoint_says_so()
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?> { ["Okta:Sandbox:Enabled"] = "true" });
        await host.StartAsync(Ct);
        try
        {
            var endpoint = host.Services.GetRequiredService<OktaEndpoint>();
            var result = await host.Services.GetRequiredService<OktaClient>().GetUserAsync("bob@example.com", Ct);

            Assert.True(endpoint.IsSandbox);
            Assert.Equal("127.0.0.1", endpoint.BaseUrl.Host);
            Assert.Equal(OktaSandboxOptions.DefaultToken, endpoint.ApiToken);
            Assert.Equal(OktaSandboxSeed.BobId, result.Value?.Id);
        }
        finally
        {
            await host.StopAsync(Ct);
        }
    }

    [Fact]
    public void With_an_org_url_the_real_org_is_used_even_when_the_sandbox_is_enabled()
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?>
        {
            ["Okta:Sandbox:Enabled"] = "true",
            ["Okta:Client:OrgUrl"] = "https://example.okta.com",
            ["Okta:Client:Token"] = SecretToken,
        });

        var endpoint = host.Services.GetRequiredService<OktaEndpoint>();

        Assert.False(endpoint.IsSandbox);
        Assert.Equal(new Uri("https://example.okta.com/"), endpoint.BaseUrl);
        Assert.DoesNotContain(SecretToken, endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sandbox_bound_to_a_non_loopback_address_stops_startup()
    {
        using var host = OktaTestHost.Build(new Dictionary<string, string?>
        {
            ["Okta:Sandbox:Enabled"] = "true",
            ["Okta:Sandbox:BindAddress"] = "0.0.0.0",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Okta:Sandbox:BindAddress", error.Message, StringComparison.Ordinal);
    }
}
