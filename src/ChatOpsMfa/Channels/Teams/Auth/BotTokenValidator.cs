using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Channels.Teams.Auth;

/// <summary>
/// Checks the Bearer token the Bot Framework Connector sends with every activity: an RSA signature by a key from
/// the Bot Framework's OpenID metadata, the issuer, the audience (our app id) and the lifetime with five minutes of
/// skew. Teams only ever sends these channel tokens. A token an Entra tenant issued proves only that some app of
/// that tenant asked for it (any app registration can get one with our app id as audience), so it is refused unless
/// its caller (<c>azp</c>/<c>appid</c>) is listed in <c>Teams:AllowedCallers</c> and its <c>tid</c> is the bot's tenant.
/// </summary>
internal sealed class BotTokenValidator(SigningKeySources keys, IOptions<TeamsOptions> options, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static readonly IReadOnlyList<string> AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private const string ServiceUrlClaim = "serviceurl";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<TokenCheck> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return TokenCheck.Refused("no Bearer token in the Authorization header");
        }

        var raw = authorization["Bearer ".Length..].Trim();
        if (!_handler.CanReadToken(raw))
        {
            return TokenCheck.Refused("the token is not a JWT");
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(raw);
        }
        catch (Exception error) when (error is ArgumentException or SecurityTokenException)
        {
            return TokenCheck.Refused("the token is malformed");
        }

        // Decide on the header before any key is looked up: "none" and HMAC tokens never reach a key cache.
        if (!AllowedAlgorithms.Contains(unverified.Alg, StringComparer.Ordinal))
        {
            return TokenCheck.Refused($"algorithm '{unverified.Alg}' is not allowed");
        }

        if (string.IsNullOrEmpty(unverified.Kid))
        {
            return TokenCheck.Refused("the token names no signing key (kid)");
        }

        var settings = options.Value;
        var (source, fromBotFramework) = SourceFor(unverified.Issuer, settings);
        if (source is null)
        {
            return TokenCheck.Refused(IsTenantIssuer(unverified.Issuer, settings)
                ? $"the token was issued by an Entra tenant, not the Bot Framework, and {TeamsConfigurationKeys.AllowedCallers} is empty"
                : "the issuer is not trusted");
        }

        var key = await source.FindAsync(unverified.Kid, cancellationToken);
        if (key is null)
        {
            return TokenCheck.Refused("the signing key is not published in the OpenID metadata");
        }

        var result = await _handler.ValidateTokenAsync(raw, new TokenValidationParameters
        {
            ValidIssuer = unverified.Issuer,
            ValidAudience = settings.AppId,
            ValidAlgorithms = AllowedAlgorithms,
            IssuerSigningKey = key.Key,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = IsWithinLifetime,
        });
        if (!result.IsValid)
        {
            return TokenCheck.Refused($"the token did not validate ({result.Exception?.GetType().Name ?? "unknown"})");
        }

        if (!fromBotFramework)
        {
            // Signed by our tenant: still only an allowed caller, and only with our tenant's id in the token.
            var caller = Claim(unverified, "azp") ?? Claim(unverified, "appid");
            if (caller is null || !settings.AllowedCallers.Contains(caller, StringComparer.OrdinalIgnoreCase))
            {
                return TokenCheck.Refused($"the token's caller '{LogSafe(caller)}' is not in {TeamsConfigurationKeys.AllowedCallers}");
            }

            if (!string.Equals(Claim(unverified, "tid"), settings.AppTenantId, StringComparison.OrdinalIgnoreCase))
            {
                return TokenCheck.Refused("the token's tid is not the bot's tenant");
            }
        }

        return new TokenCheck(null, key.Endorsements, Claim(unverified, ServiceUrlClaim), fromBotFramework);
    }

    private (OpenIdSigningKeys? Source, bool FromBotFramework) SourceFor(string? issuer, TeamsOptions settings)
    {
        if (string.Equals(issuer, settings.TokenIssuer, StringComparison.Ordinal))
        {
            return (keys.BotFramework, true);
        }

        return settings.AllowedCallers.Count > 0 && settings.AppTenantId is { } tenant && IsTenantIssuer(issuer, settings)
            ? (keys.Tenant(tenant), false)
            : (null, false);
    }

    /// <summary>The bot's own tenant as an issuer, in either of the forms Entra writes it (v2.0 and v1 tokens).</summary>
    private static bool IsTenantIssuer(string? issuer, TeamsOptions settings) =>
        settings.AppTenantId is { } tenant
        && (string.Equals(issuer, $"{settings.EntraInstance}{tenant}/v2.0", StringComparison.OrdinalIgnoreCase)
            || string.Equals(issuer, $"https://sts.windows.net/{tenant}/", StringComparison.OrdinalIgnoreCase));

    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string LogSafe(string? text) =>
        text is null ? "(none)" : string.Concat(text.Take(64).Select(c => char.IsControl(c) ? '?' : c));

    // The library's own check reads the machine clock; ours reads the TimeProvider so tests can move time.
    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } exp && now <= exp.ToUniversalTime() + ClockSkew
            && (notBefore is not { } nbf || nbf.ToUniversalTime() <= now + ClockSkew);
    }
}
