namespace ChatOpsMfa.Okta;

/// <summary>What a factor needs besides its type and provider.</summary>
public enum FactorProfileNeed
{
    None,
    PhoneNumber,
    Email,
    SecurityQuestion,
}

/// <summary>One factor type/provider pair that Okta's enrollFactor accepts.</summary>
public sealed record FactorKind(string FactorType, string Provider, string Label, FactorProfileNeed Needs);

/// <summary>
/// Okta's valid factorType/provider pairs (Okta Management API, enrollFactor). Anything else is refused
/// before it reaches Okta.
/// </summary>
public static class FactorCatalog
{
    public static IReadOnlyList<FactorKind> All { get; } =
    [
        new("token:software:totp", "GOOGLE", "Google Authenticator (TOTP app)", FactorProfileNeed.None),
        new("token:software:totp", "OKTA", "Okta Verify (TOTP code)", FactorProfileNeed.None),
        new("push", "OKTA", "Okta Verify (push)", FactorProfileNeed.None),
        new("sms", "OKTA", "SMS text message", FactorProfileNeed.PhoneNumber),
        new("call", "OKTA", "Voice call", FactorProfileNeed.PhoneNumber),
        new("email", "OKTA", "Email", FactorProfileNeed.Email),
        new("question", "OKTA", "Security question", FactorProfileNeed.SecurityQuestion),
        new("token", "RSA", "RSA SecurID", FactorProfileNeed.None),
        new("token", "SYMANTEC", "Symantec VIP", FactorProfileNeed.None),
        new("token:hardware", "YUBICO", "YubiKey (OTP)", FactorProfileNeed.None),
        new("token:hotp", "CUSTOM", "Custom HOTP token", FactorProfileNeed.None),
        new("u2f", "FIDO", "U2F security key", FactorProfileNeed.None),
        new("webauthn", "FIDO", "Security key or biometric (WebAuthn)", FactorProfileNeed.None),
        new("web", "DUO", "Duo Security", FactorProfileNeed.None),
    ];

    /// <summary>
    /// What the bot offers: the factors a person can finish in the chat itself (a code from an app, an SMS, a call or an
    /// email, or an Okta Verify scan). The others need a browser ceremony (WebAuthn, U2F, Duo) or values read off a
    /// hardware token at enrolment (RSA, Symantec, YubiKey, HOTP), so a reset to them would leave the person locked out.
    /// </summary>
    public static IReadOnlyList<FactorKind> Offered { get; } =
        All.Where(k => k.FactorType is "token:software:totp" or "push" or "sms" or "call" or "email").ToArray();

    /// <summary>Whether the bot can see a factor of this kind through to ACTIVE in chat.</summary>
    public static bool CanFinishInChat(FactorKind kind) => Offered.Contains(kind);

    public static IReadOnlyList<string> FactorTypes { get; } = All.Select(k => k.FactorType).Distinct().ToArray();

    public static IReadOnlyList<string> Providers { get; } = All.Select(k => k.Provider).Distinct().ToArray();

    /// <summary>The pair, matched case-insensitively as Okta does; null when Okta would refuse it.</summary>
    public static FactorKind? Find(string? factorType, string? provider) =>
        All.FirstOrDefault(k =>
            string.Equals(k.FactorType, factorType?.Trim(), StringComparison.OrdinalIgnoreCase) &&
            string.Equals(k.Provider, provider?.Trim(), StringComparison.OrdinalIgnoreCase));
}
