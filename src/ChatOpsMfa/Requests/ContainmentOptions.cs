namespace ChatOpsMfa.Requests;

/// <summary>What the bot does right after a reset: section <c>Okta</c> (beside <c>Okta:Client</c>).</summary>
public sealed class ContainmentOptions
{
    public const string Section = "Okta";

    /// <summary>Revoke the person's Okta sessions and OAuth tokens right after their factors are reset.</summary>
    public bool RevokeSessionsOnReset { get; set; } = true;
}
