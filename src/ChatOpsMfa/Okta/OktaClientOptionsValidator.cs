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
        if (options.AuthorizationMode == OktaAuthorizationMode.PrivateKey)
        {
            ValidatePrivateKeyMode(options, failures);
        }
        else if (talksToRealOrg && string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add("Okta:Client:Token is missing. Set it to an Okta API token (SSWS) with okta.users.manage, or use Okta:Sandbox:Enabled=true without an OrgUrl for local mode.");
        }

        if (!talksToRealOrg && sandbox.Value.AuthorizationMode != options.AuthorizationMode)
        {
            failures.Add($"Okta:Client:AuthorizationMode is {options.AuthorizationMode} but the sandbox it talks to runs with Okta:Sandbox:AuthorizationMode={sandbox.Value.AuthorizationMode}; set both the same.");
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

    /// <summary>The service app's settings. Messages name the key and never contain key material.</summary>
    private static void ValidatePrivateKeyMode(OktaClientOptions options, List<string> failures)
    {
        if (!string.IsNullOrEmpty(options.Token))
        {
            failures.Add("Okta:Client:Token must not be set when Okta:Client:AuthorizationMode is PrivateKey: the bot never sends an API token in that mode; remove it (and revoke the token in Okta).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Okta:Client:ClientId is missing. Set it to the client id of the Okta API service app (Okta:Client:AuthorizationMode is PrivateKey).");
        }

        if (options.Scopes.Count == 0)
        {
            failures.Add("Okta:Client:Scopes is missing. List the OAuth scopes granted to the service app, e.g. Okta:Client:Scopes:0=okta.users.manage (see docs/okta-oauth.md).");
        }
        else if (options.Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
        {
            failures.Add("Okta:Client:Scopes must hold one scope per entry, without spaces.");
        }

        if (PrivateKeyProblem(options.PrivateKey) is { } problem)
        {
            failures.Add(problem);
        }
    }

    /// <summary>Why the JWK cannot sign the client assertion, naming the key, or null when it can.</summary>
    internal static string? PrivateKeyProblem(OktaJsonWebKey? key)
    {
        if (key is null)
        {
            return "Okta:Client:PrivateKey is missing. Set it to the service app's RSA private key as a JWK (kty, kid, n, e, d, p, q, dp, dq, qi).";
        }

        if (!string.Equals(key.Kty, "RSA", StringComparison.Ordinal))
        {
            return "Okta:Client:PrivateKey:kty must be RSA (the client assertion is signed RS256).";
        }

        var missing = new[] { "kid", "n", "e" }.Concat(OktaJsonWebKey.PrivateMembers).Where(m => string.IsNullOrWhiteSpace(key.Member(m))).ToList();
        if (missing.Count > 0)
        {
            return $"Okta:Client:PrivateKey is incomplete: {string.Join(", ", missing.Select(m => "Okta:Client:PrivateKey:" + m))} missing.";
        }

        try
        {
            using var rsa = System.Security.Cryptography.RSA.Create();
            rsa.ImportParameters(key.ToRsaParameters(includePrivate: true));
            if (rsa.KeySize < 2048)
            {
                return $"Okta:Client:PrivateKey is a {rsa.KeySize}-bit RSA key; Okta requires at least 2048 bits.";
            }

            // A key whose parts do not belong together would only fail at Okta; prove it signs what its public part verifies.
            var probe = "ChatOpsMfa key check"u8.ToArray();
            var signature = rsa.SignData(probe, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var publicPart = System.Security.Cryptography.RSA.Create(key.ToRsaParameters(includePrivate: false));
            if (!publicPart.VerifyData(probe, signature, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1))
            {
                return "Okta:Client:PrivateKey is not a consistent RSA key: its private members do not match n and e.";
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // The exception text may quote the input, so only its kind is reported.
            return "Okta:Client:PrivateKey is not a valid RSA JWK (a member is not base64url, or the parts do not form a key).";
        }

        return null;
    }

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
