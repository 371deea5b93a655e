namespace ChatOpsMfa.Requests;

/// <summary>How chat users are bound to Okta users: section <c>Identity</c>.</summary>
public sealed class IdentityOptions
{
    public const string Section = "Identity";

    public IdentityBinding Binding { get; set; } = IdentityBinding.Email;

    /// <summary>With <see cref="IdentityBinding.OktaAttribute"/>: the Okta profile attribute holding the Slack user id (U…).</summary>
    public string? SlackUserIdAttribute { get; set; }

    /// <summary>With <see cref="IdentityBinding.OktaAttribute"/>: the Okta profile attribute holding the Microsoft Entra object id.</summary>
    public string? TeamsObjectIdAttribute { get; set; }

    /// <summary>The attribute for a channel, or null when that channel has none configured.</summary>
    public string? AttributeFor(string? channel) => channel switch
    {
        "slack" => SlackUserIdAttribute,
        "msteams" => TeamsObjectIdAttribute,
        _ => null,
    };
}
