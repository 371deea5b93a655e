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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
