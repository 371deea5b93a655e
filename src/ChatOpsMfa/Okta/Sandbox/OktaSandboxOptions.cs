namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>The in-process fake Okta, bound from <c>Okta:Sandbox</c>. Only for local mode and tests.</summary>
public sealed class OktaSandboxOptions
{
    public const string SectionName = "Okta:Sandbox";

    public const string DefaultToken = "sandbox-token";

    public bool Enabled { get; set; }

    /// <summary>The address the sandbox listens on. Only loopback addresses are accepted.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The SSWS token the sandbox accepts; anything else gets Okta's 401 E0000011.</summary>
    public string Token { get; set; } = DefaultToken;
}
