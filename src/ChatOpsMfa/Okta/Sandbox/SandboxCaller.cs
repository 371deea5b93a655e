namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>Who sent a Management API request, as Okta's System Log records the client: address, User-Agent, path.</summary>
internal sealed record SandboxCaller(string? IpAddress, string? UserAgent, string? RequestUri)
{
    public static readonly SandboxCaller Unknown = new(null, null, null);
}
