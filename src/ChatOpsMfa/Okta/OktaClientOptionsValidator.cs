using System.Net;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta;

/// <summary>
/// Stops startup when the bot could not talk to Okta safely: no org, no token, or a token that would travel over
/// plain HTTP to a remote host. Messages name the configuration key and never contain the token.
/// </summary>
internal sealed class OktaClientOptionsValidator(IOptions<OktaSandboxOptions> sandbox) : IValidateOptions<OktaClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OktaClientOptions options)
    {
        var failures = new List<string>();
        var sandboxEnabled = sandbox.Value.Enabled;

        if (string.IsNullOrWhiteSpace(options.OrgUrl))
        {
            if (!sandboxEnabled)
            {
                failures.Add("Okta:Client:OrgUrl is missing. Set it to your Okta org's URL (e.g. https://example.okta.com), or set Okta:Sandbox:Enabled=true for local mode.");
            }
        }
        else if (!Uri.TryCreate(options.OrgUrl, UriKind.Absolute, out var orgUrl) ||
                 (orgUrl.Scheme != Uri.UriSchemeHttps && orgUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Okta:Client:OrgUrl is not an absolute http(s) URL.");
        }
        else if (orgUrl.Scheme != Uri.UriSchemeHttps && !IsLoopback(orgUrl))
        {
            failures.Add($"Okta:Client:OrgUrl must use https (got {orgUrl.Scheme}://{orgUrl.Host}); plain http is only allowed for a loopback address such as localhost or 127.0.0.1.");
        }

        // Without an OrgUrl the sandbox is used and its own token applies.
        var talksToRealOrg = !string.IsNullOrWhiteSpace(options.OrgUrl) || !sandboxEnabled;
        if (talksToRealOrg && string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add("Okta:Client:Token is missing. Set it to an Okta API token (SSWS) with okta.users.manage, or use Okta:Sandbox:Enabled=true without an OrgUrl for local mode.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("Okta:Client:MaxRetries must be between 0 and 10.");
        }

        if (options.MaxRetryWait <= TimeSpan.Zero)
        {
            failures.Add("Okta:Client:MaxRetryWait must be positive.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Okta:Client:RequestTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
