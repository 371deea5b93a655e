using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Okta;

/// <summary>
/// An Okta failure as a value: what kind it is, Okta's own fields, and a message a person can act on.
/// Built from Okta's error body <c>{errorCode, errorSummary, errorLink, errorId, errorCauses[].errorSummary}</c>.
/// </summary>
public sealed record OktaError(
    OktaErrorKind Kind,
    int? StatusCode,
    string? ErrorCode,
    string? ErrorSummary,
    IReadOnlyList<string> Causes,
    string? ErrorId,
    string Message)
{
    private static readonly string[] AlreadySetUpCauses =
    [
        "A factor of this type is already set up.",
        "There is an existing verified phone number.",
    ];

    public bool IsNotFound => Kind == OktaErrorKind.NotFound;

    public bool IsFactorAlreadySetUp => Kind == OktaErrorKind.FactorAlreadySetUp;

    public bool IsRateLimited => Kind == OktaErrorKind.RateLimited;

    public bool IsUnreachable => Kind == OktaErrorKind.Unreachable;

    /// <summary>Okta's "Invalid Passcode/Answer" (403 E0000068): the code typed did not match.</summary>
    public bool IsInvalidPasscode => string.Equals(ErrorCode, "E0000068", StringComparison.Ordinal);

    /// <summary>Okta could not be reached at all.</summary>
    public static OktaError Unreachable(Uri baseUrl, string reason) =>
        new(OktaErrorKind.Unreachable, null, null, null, [], null,
            $"Okta at {baseUrl.GetLeftPart(UriPartial.Authority)} could not be reached ({reason}).");

    /// <summary>Maps an HTTP answer from Okta (status and JSON body, if any) to an error.</summary>
    public static OktaError FromResponse(int statusCode, JsonNode? body)
    {
        var errorCode = ReadString(body, "errorCode");
        var summary = ReadString(body, "errorSummary");
        var errorId = ReadString(body, "errorId");
        var causes = ReadCauses(body);

        var kind = Classify(statusCode, errorCode, causes);
        return new OktaError(kind, statusCode, errorCode, summary, causes, errorId,
            Describe(kind, statusCode, errorCode, summary, causes, errorId));
    }

    /// <summary>Maps an HTTP answer whose body is raw text (possibly not JSON at all).</summary>
    public static OktaError FromResponse(int statusCode, string? body) => FromResponse(statusCode, TryParse(body));

    public static OktaError FromResponse(HttpStatusCode statusCode, JsonNode? body) => FromResponse((int)statusCode, body);

    public override string ToString() => Message;

    private static OktaErrorKind Classify(int status, string? errorCode, IReadOnlyList<string> causes) => status switch
    {
        400 when errorCode == "E0000001" && causes.Any(c => AlreadySetUpCauses.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase))
            => OktaErrorKind.FactorAlreadySetUp,
        400 => OktaErrorKind.Invalid,
        401 => OktaErrorKind.Unauthorized,
        403 => OktaErrorKind.Forbidden,
        404 => OktaErrorKind.NotFound,
        429 => OktaErrorKind.RateLimited,
        >= 500 => OktaErrorKind.ServerError,
        _ => OktaErrorKind.Other,
    };

    private static string Describe(OktaErrorKind kind, int status, string? errorCode, string? summary, IReadOnlyList<string> causes, string? errorId)
    {
        var headline = kind switch
        {
            OktaErrorKind.FactorAlreadySetUp => "Okta says a factor of this type is already set up for the user, so it was not enrolled again.",
            _ => OktaErrorCatalog.Explain(errorCode) ?? kind switch
            {
                OktaErrorKind.Unauthorized => "Okta rejected the bot's API token.",
                OktaErrorKind.Forbidden => "Okta refused: the bot is not allowed to do this.",
                OktaErrorKind.NotFound => "Okta has no such user or factor.",
                OktaErrorKind.RateLimited => "Okta's rate limit was reached; try again in a minute.",
                OktaErrorKind.ServerError => "Okta had a server error.",
                OktaErrorKind.Invalid => "Okta refused the request as invalid.",
                _ => "Okta refused the request.",
            },
        };

        var details = new List<string>();
        // Summaries such as "Not found: {0}" are templates Okta did not fill; they add nothing.
        if (!string.IsNullOrWhiteSpace(summary) && !summary.Contains("{0}", StringComparison.Ordinal) &&
            !string.Equals(summary.TrimEnd('.'), headline.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
        {
            details.Add(summary.Trim());
        }

        details.AddRange(causes.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()));

        var message = headline;
        if (details.Count > 0)
        {
            message += " Okta said: " + string.Join(" ", details.Select(d => d.EndsWith('.') ? d : d + "."));
        }

        var reference = errorCode is null ? $"HTTP {status}" : $"HTTP {status}, {errorCode}";
        if (!string.IsNullOrWhiteSpace(errorId))
        {
            reference += $", errorId {errorId}";
        }

        return $"{message} ({reference})";
    }

    private static string? ReadString(JsonNode? body, string name) =>
        body is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : null;

    private static IReadOnlyList<string> ReadCauses(JsonNode? body)
    {
        if (body is not JsonObject obj || !obj.TryGetPropertyValue("errorCauses", out var causes) || causes is not JsonArray array)
        {
            return [];
        }

        return array.Select(c => ReadString(c, "errorSummary")).OfType<string>().ToArray();
    }

    private static JsonNode? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy is still an error; the status code carries it.
            return null;
        }
    }
}
