using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Okta;

/// <summary>
/// An RSA JSON Web Key (RFC 7517) as configuration: <c>Okta:Client:PrivateKey</c> (all members) or the sandbox's
/// public key (<c>kty</c>, <c>kid</c>, <c>n</c>, <c>e</c>). <see cref="ToString"/> never shows key material.
/// </summary>
public sealed class OktaJsonWebKey
{
    public string? Kty { get; set; }

    public string? Kid { get; set; }

    public string? N { get; set; }

    public string? E { get; set; }

    public string? D { get; set; }

    public string? P { get; set; }

    public string? Q { get; set; }

    public string? Dp { get; set; }

    public string? Dq { get; set; }

    public string? Qi { get; set; }

    /// <summary>The members a private key needs, by their JWK names.</summary>
    internal static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi"];

    internal string? Member(string name) => name switch
    {
        "kty" => Kty,
        "kid" => Kid,
        "n" => N,
        "e" => E,
        "d" => D,
        "p" => P,
        "q" => Q,
        "dp" => Dp,
        "dq" => Dq,
        "qi" => Qi,
        _ => null,
    };

    internal bool HasPrivateMembers => PrivateMembers.Any(m => !string.IsNullOrEmpty(Member(m)));

    /// <summary>The RSA parameters; with <paramref name="includePrivate"/> false only the public part. Throws FormatException on bad base64url.</summary>
    internal RSAParameters ToRsaParameters(bool includePrivate) => new()
    {
        Modulus = Base64UrlEncoder.DecodeBytes(N),
        Exponent = Base64UrlEncoder.DecodeBytes(E),
        D = includePrivate ? Base64UrlEncoder.DecodeBytes(D) : null,
        P = includePrivate ? Base64UrlEncoder.DecodeBytes(P) : null,
        Q = includePrivate ? Base64UrlEncoder.DecodeBytes(Q) : null,
        DP = includePrivate ? Base64UrlEncoder.DecodeBytes(Dp) : null,
        DQ = includePrivate ? Base64UrlEncoder.DecodeBytes(Dq) : null,
        InverseQ = includePrivate ? Base64UrlEncoder.DecodeBytes(Qi) : null,
    };

    /// <summary>Never the key material: a key in a log line or an exception would be a leaked credential.</summary>
    public override string ToString() => $"{Kty ?? "?"} JWK kid={Kid ?? "(none)"}";
}
