namespace ChatOpsMfa.Requests;

/// <summary>How long a new factor may wait for its owner, and how it is watched: section <c>Activation</c>.</summary>
public sealed class ActivationOptions
{
    public const string Section = "Activation";

    /// <summary>How long after enrolment the owner has to activate the factor; then it is deleted in Okta and an approver may retry.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many new SMS, call or email codes the owner may ask for during one enrolment.</summary>
    public int MaxResends { get; set; } = 3;

    /// <summary>How often an Okta Verify push activation is polled, and overdue activations are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The issuer shown in the authenticator app for a TOTP factor; the Okta org's host when not set.</summary>
    public string? TotpIssuer { get; set; }
}
