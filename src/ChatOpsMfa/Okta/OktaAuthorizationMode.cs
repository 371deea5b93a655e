namespace ChatOpsMfa.Okta;

/// <summary>How the bot proves itself to Okta; the names of the Okta .NET SDK's <c>AuthorizationMode</c>.</summary>
public enum OktaAuthorizationMode
{
    /// <summary>An API token in <c>Authorization: SSWS ...</c>: carries its creator's admin rights.</summary>
    SSWS,

    /// <summary>An OAuth 2.0 service app: client credentials with a private_key_jwt assertion and DPoP-bound tokens.</summary>
    PrivateKey,
}
