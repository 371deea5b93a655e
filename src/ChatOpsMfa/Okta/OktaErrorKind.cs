namespace ChatOpsMfa.Okta;

/// <summary>What went wrong, in terms the bot acts on.</summary>
public enum OktaErrorKind
{
    /// <summary>Okta did not answer (DNS, connection refused, TLS, timeout).</summary>
    Unreachable,

    /// <summary>401: the API token is missing, wrong, expired or revoked.</summary>
    Unauthorized,

    /// <summary>403: the token's admin may not do this, or the user's status forbids it.</summary>
    Forbidden,

    /// <summary>404 E0000007: no such user or factor.</summary>
    NotFound,

    /// <summary>400 E0000001 "A factor of this type is already set up." / "There is an existing verified phone number."</summary>
    FactorAlreadySetUp,

    /// <summary>400: Okta refused the request's content.</summary>
    Invalid,

    /// <summary>429: rate limit still exceeded after the allowed retries.</summary>
    RateLimited,

    /// <summary>5xx or an answer the bot could not make sense of.</summary>
    ServerError,

    /// <summary>Any other status.</summary>
    Other,
}
