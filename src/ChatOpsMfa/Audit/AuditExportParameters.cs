using System.Globalization;

namespace ChatOpsMfa.Audit;

/// <summary>The validated query of <c>GET /api/audit</c>: a time window, a user, and the page wanted.</summary>
public sealed record AuditExportParameters(DateTimeOffset? From, DateTimeOffset? To, string? User, int Limit, long After)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxUserLength = 256;

    public const string FromName = "from";
    public const string ToName = "to";
    public const string UserName = "user";
    public const string LimitName = "limit";
    public const string AfterName = "after";

    private static readonly string[] Known = [FromName, ToName, UserName, LimitName, AfterName];

    // ISO-8601 instants: a date, a time and an offset (or Z); fractions of a second optional.
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mmzzz",
    ];

    /// <summary>Reads the query string; the first unusable parameter is returned as a problem, nothing is guessed.</summary>
    public static (AuditExportParameters? Parameters, AuditParameterProblem? Problem) Read(IQueryCollection query)
    {
        // An unknown name is most likely a typo ("form="), and exporting everything instead would mislead.
        if (query.Keys.FirstOrDefault(k => !Known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return Fail(Shorten(unknown), $"Unknown parameter '{Shorten(unknown)}'. Use {string.Join(", ", Known)}.");
        }

        if (query.FirstOrDefault(p => p.Value.Count > 1) is { Key: { } repeated })
        {
            return Fail(repeated, $"'{repeated}' is given more than once.");
        }

        if (!TryReadInstant(query, FromName, out var from, out var problem)
            || !TryReadInstant(query, ToName, out var to, out problem))
        {
            return (null, problem);
        }

        if (from is { } start && to is { } end && start >= end)
        {
            return Fail(ToName, "'to' must be later than 'from' (from is inclusive, to is exclusive).");
        }

        string? user = null;
        if (query.TryGetValue(UserName, out var userValue))
        {
            user = userValue.ToString();
            if (string.IsNullOrWhiteSpace(user) || user.Length > MaxUserLength || user.Any(char.IsControl))
            {
                return Fail(UserName, $"'user' must be a user id of 1 to {MaxUserLength} printable characters.");
            }
        }

        var limit = DefaultLimit;
        if (query.TryGetValue(LimitName, out var limitValue)
            && (!int.TryParse(limitValue, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Fail(LimitName, $"'limit' must be a whole number from 1 to {MaxLimit}.");
        }

        long after = 0;
        if (query.TryGetValue(AfterName, out var afterValue)
            && !long.TryParse(afterValue, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return Fail(AfterName, "'after' must be the 'next' value of the previous page (a whole number).");
        }

        return (new AuditExportParameters(from, to, user, limit, after), null);
    }

    private static bool TryReadInstant(IQueryCollection query, string name, out DateTimeOffset? instant, out AuditParameterProblem? problem)
    {
        instant = null;
        problem = null;
        if (!query.TryGetValue(name, out var value))
        {
            return true;
        }

        if (DateTimeOffset.TryParseExact(value.ToString(), InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            instant = parsed;
            return true;
        }

        // A '+' in a query string arrives as a space: the commonest way to break an offset.
        var hint = value.ToString().Contains(' ', StringComparison.Ordinal) ? " Write a '+' offset as %2B." : "";
        problem = new AuditParameterProblem(name,
            $"'{name}' must be an ISO-8601 instant with a time zone, such as 2026-01-31T08:00:00Z or 2026-01-31T09:00:00%2B01:00.{hint}");
        return false;
    }

    private static (AuditExportParameters?, AuditParameterProblem?) Fail(string parameter, string message) =>
        (null, new AuditParameterProblem(parameter, message));

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
