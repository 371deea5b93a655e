using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// Builds the UserFactor bodies the sandbox returns, from Okta's own spec examples (embedded under fixtures/),
/// with fresh ids, links, timestamps and TOTP secrets so no two enrolments look alike.
/// </summary>
internal sealed partial class SandboxFactorFactory(TimeProvider timeProvider, Func<Uri> baseUrl)
{
    private const string Alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static readonly IReadOnlyDictionary<(string Type, string Provider), string> EnrolTemplates =
        new Dictionary<(string, string), string>
        {
            [("call", "OKTA")] = "EnrollFactorCallResponse.json",
            [("email", "OKTA")] = "EnrollFactorEmailResponse.json",
            [("push", "OKTA")] = "EnrollFactorOVPushResponse.json",
            [("question", "OKTA")] = "EnrollFactorQuestionResponse.json",
            [("sms", "OKTA")] = "EnrollFactorSmsResponse.json",
            [("token:software:totp", "OKTA")] = "EnrollFactorOVTotpResponse.json",
            [("token:software:totp", "GOOGLE")] = "EnrollFactorGoogleResponse.json",
            [("token", "RSA")] = "EnrollFactorRsaSecurIdResponse.json",
            [("token", "SYMANTEC")] = "EnrollFactorSymantecVipResponse.json",
            [("token:hardware", "YUBICO")] = "EnrollFactorYubikeyResponse.json",
            [("token:hotp", "CUSTOM")] = "EnrollFactorCustomTotpResponse.json",
            [("u2f", "FIDO")] = "EnrollFactorU2fResponse.json",
            [("webauthn", "FIDO")] = "EnrollFactorWebauthnResponse.json",
        };

    /// <summary>A new factor for the user, as Okta's enrollFactor answers it.</summary>
    public JsonObject Enrol(SandboxUser user, FactorKind kind, JsonObject? requestProfile, bool activate)
    {
        var factor = FromTemplate(user, kind);
        var now = Timestamp(timeProvider.GetUtcNow());
        factor["created"] = now;
        factor["lastUpdated"] = now;

        // The request's profile wins (phone number, email, question); the answer is never echoed, as in Okta.
        if (requestProfile is not null)
        {
            var profile = factor["profile"] as JsonObject ?? [];
            foreach (var (name, value) in requestProfile)
            {
                if (name != "answer")
                {
                    profile[name] = value?.DeepClone();
                }
            }

            factor["profile"] = profile;
        }

        if (factor["profile"] is JsonObject { } withCredential && withCredential.ContainsKey("credentialId"))
        {
            withCredential["credentialId"] = user.Login;
        }

        if (factor["_embedded"]?["activation"] is JsonObject activation)
        {
            if (activation.ContainsKey("sharedSecret"))
            {
                activation["sharedSecret"] = NewBase32Secret(16);
            }

            if (activation.ContainsKey("expiresAt"))
            {
                activation["expiresAt"] = Timestamp(timeProvider.GetUtcNow().AddMinutes(10));
            }
        }

        var autoActivated = activate && kind.FactorType is "sms" or "call" or "email" or "token:hotp";
        if (autoActivated || factor["status"]?.GetValue<string>() == "ACTIVE")
        {
            MarkActive(factor, timeProvider.GetUtcNow());
        }
        else
        {
            factor["status"] = "PENDING_ACTIVATION";
        }

        return factor;
    }

    /// <summary>
    /// Moves a factor to ACTIVE and drops its activation material and links, as Okta's activateFactor answers
    /// (ActivateFactor*Response examples) do: an active factor has <c>verify</c>, <c>self</c> and <c>user</c> links.
    /// </summary>
    public static void MarkActive(JsonObject factor, DateTimeOffset now)
    {
        factor["status"] = "ACTIVE";
        factor["lastUpdated"] = Timestamp(now);
        factor.Remove("_embedded");
        if (factor["_links"] is JsonObject links)
        {
            links.Remove("activate");
            links.Remove("poll");
            links.Remove("next");
            links.Remove("resend");
            if (links["self"]?["href"]?.GetValue<string>() is { } self && !links.ContainsKey("verify"))
            {
                links["verify"] = new JsonObject { ["href"] = self + "/verify", ["hints"] = new JsonObject { ["allow"] = new JsonArray("POST") } };
            }
        }
    }

    /// <summary>The factor as listFactors shows it: no activation secrets.</summary>
    public static JsonObject ForListing(JsonObject factor)
    {
        var copy = factor.DeepClone().AsObject();
        copy.Remove("_embedded");
        return copy;
    }

    private JsonObject FromTemplate(SandboxUser user, FactorKind kind)
    {
        if (!EnrolTemplates.TryGetValue((kind.FactorType, kind.Provider), out var templateName))
        {
            // Duo (web) has no example in Okta's spec; Okta's answer has the same outer shape.
            var id = NewId("dsf");
            return new JsonObject
            {
                ["id"] = id,
                ["factorType"] = kind.FactorType,
                ["provider"] = kind.Provider,
                ["vendorName"] = kind.Provider,
                ["status"] = "PENDING_ACTIVATION",
                ["profile"] = new JsonObject(),
                ["_links"] = Links(user.Id, id),
            };
        }

        var text = ReadTemplate(templateName);
        var template = JsonNode.Parse(text)!.AsObject();
        var templateId = template["id"]!.GetValue<string>();
        var factorId = NewId(templateId[..3]);

        var origin = baseUrl().GetLeftPart(UriPartial.Authority);
        text = text.Replace(templateId, factorId, StringComparison.Ordinal)
            .Replace("https://{yourOktaDomain}", origin, StringComparison.Ordinal);
        text = UserPathPattern().Replace(text, $"/users/{user.Id}");
        text = QrPathPattern().Replace(text, _ => "/qr/00" + RandomString(40));
        return JsonNode.Parse(text)!.AsObject();
    }

    private JsonObject Links(string userId, string factorId)
    {
        var origin = baseUrl().GetLeftPart(UriPartial.Authority);
        return new JsonObject
        {
            ["activate"] = new JsonObject { ["href"] = $"{origin}/api/v1/users/{userId}/factors/{factorId}/lifecycle/activate" },
            ["self"] = new JsonObject { ["href"] = $"{origin}/api/v1/users/{userId}/factors/{factorId}" },
            ["user"] = new JsonObject { ["href"] = $"{origin}/api/v1/users/{userId}" },
        };
    }

    private static string ReadTemplate(string fileName)
    {
        var assembly = typeof(SandboxFactorFactory).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Sandbox.fixtures." + fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static string NewId(string prefix) => prefix + RandomString(20 - prefix.Length);

    private static string RandomString(int length) => RandomNumberGenerator.GetString(Alphanumerics, length);

    /// <summary>A TOTP shared secret: random bytes, base32 as Okta sends it.</summary>
    internal static string NewBase32Secret(int length) => RandomNumberGenerator.GetString(Base32Alphabet, length);

    internal static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex("/users/00u[0-9A-Za-z]{17}")]
    private static partial Regex UserPathPattern();

    [GeneratedRegex("/qr/[^\"]+")]
    private static partial Regex QrPathPattern();
}
