namespace ChatOpsMfa.Okta;

/// <summary>
/// How the bot reaches Okta. Bound from <c>Okta:Client</c>, the section and key names the Okta .NET SDK uses,
/// so an existing <c>Okta__Client__OrgUrl</c> / <c>Okta__Client__Token</c> setup works unchanged.
/// </summary>
public sealed class OktaClientOptions
{
    public const string SectionName = "Okta:Client";

    /// <summary>The org's base URL, e.g. https://example.okta.com.</summary>
    public string? OrgUrl { get; set; }

    /// <summary>SSWS API token. Never logged or shown.</summary>
    public string? Token { get; set; }

    /// <summary>How many times a 429 answer is retried (Okta SDK default: 2).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest wait for a rate-limit window to reset before giving up instead of retrying.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>How long one request may take before Okta counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
