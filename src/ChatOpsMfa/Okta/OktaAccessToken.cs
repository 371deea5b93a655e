namespace ChatOpsMfa.Okta;

/// <summary>A DPoP-bound access token from Okta and when it stops being used. A secret: never log or show <see cref="Value"/>.</summary>
internal sealed record OktaAccessToken(string Value, DateTimeOffset UseUntil)
{
    /// <summary>Never the token itself.</summary>
    public override string ToString() => $"Okta access token (use until {UseUntil:u})";
}
