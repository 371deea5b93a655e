using System.Net;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>The fake Okta accepts any user's factors being reset, so it must never be reachable from another machine.</summary>
internal sealed class OktaSandboxOptionsValidator : IValidateOptions<OktaSandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, OktaSandboxOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out var address) || !IPAddress.IsLoopback(address))
        {
            failures.Add($"Okta:Sandbox:BindAddress must be a loopback IP address such as 127.0.0.1 or ::1 (got '{options.BindAddress}').");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add("Okta:Sandbox:Port must be between 0 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add("Okta:Sandbox:Token must not be empty.");
        }

        if (options.AuthorizationMode == OktaAuthorizationMode.PrivateKey)
        {
            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                failures.Add("Okta:Sandbox:ClientId is missing (Okta:Sandbox:AuthorizationMode is PrivateKey).");
            }

            if (options.ClientPublicKey is not { Kty: "RSA", N.Length: > 0, E.Length: > 0, Kid.Length: > 0 })
            {
                failures.Add("Okta:Sandbox:ClientPublicKey must be the service app's RSA public JWK (kty RSA, kid, n, e).");
            }
            else if (options.ClientPublicKey.HasPrivateMembers)
            {
                failures.Add("Okta:Sandbox:ClientPublicKey must hold only the public key (kty, kid, n, e), as registered in Okta; remove the private members.");
            }

            if (options.GrantedScopes.Count == 0)
            {
                failures.Add("Okta:Sandbox:GrantedScopes is missing: the scopes granted to the service app (Okta:Sandbox:AuthorizationMode is PrivateKey).");
            }

            if (options.AccessTokenLifetime <= TimeSpan.Zero)
            {
                failures.Add("Okta:Sandbox:AccessTokenLifetime must be positive.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
