namespace ChatOpsMfa.Requests;

/// <summary>How a chat user is matched to an Okta user (<c>Identity:Binding</c>).</summary>
public enum IdentityBinding
{
    /// <summary>The email the chat platform vouches for equals the Okta login.</summary>
    Email,

    /// <summary>An Okta profile attribute holds the person's immutable chat id; no email fallback.</summary>
    OktaAttribute,
}
