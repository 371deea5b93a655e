using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// The sandbox's System Log: events shaped like Okta's LogEvent (the ListLogs example of the Management API
/// description), and listLogEvents' query rules: <c>since</c>/<c>until</c> ISO 8601 bounds (default the last
/// 7 days), <c>filter</c> (a SCIM subset: <c>actor.id</c>, <c>target.id</c>, <c>eventType</c> with <c>eq</c> or
/// <c>sw</c>, <c>and</c>/<c>or</c>, parentheses), <c>q</c> keywords, <c>limit</c> 0–1000 (default 100),
/// <c>sortOrder</c> and <c>after</c> paging with a <c>Link</c> header. Anything it does not understand is refused.
/// Guarded by the directory's lock.
/// </summary>
internal sealed partial class SandboxSystemLog(Func<Uri> baseUrl)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private const int MaxKeywords = 10;
    private const int MaxKeywordLength = 40;

    private static readonly string[] FilterAttributes = ["actor.id", "target.id", "eventType"];
    private static readonly string[] FilterOperators = ["eq", "sw"];

    /// <summary>Where sign-ins come from: a city per country, with documentation-range addresses (RFC 5737).</summary>
    private static readonly IReadOnlyDictionary<string, (string City, string State, string PostalCode, double Lat, double Lon, string Ip, int AsNumber, string Isp)> Places =
        new Dictionary<string, (string, string, string, double, double, string, int, string)>(StringComparer.Ordinal)
        {
            ["United States"] = ("San Francisco", "California", "94105", 37.7898, -122.3942, "198.51.100.24", 64496, "Example Broadband"),
            ["Germany"] = ("Berlin", "Land Berlin", "10117", 52.5200, 13.4050, "203.0.113.77", 64511, "Beispiel Telekom"),
        };

    private readonly List<SandboxLogEvent> _events = [];
    private long _sequence;

    /// <summary>The fixed token id every API-token event names in <c>transaction.detail.requestApiTokenId</c>.</summary>
    public const string ApiTokenId = "00Tb0oNGTSWTBKOLSVC1";

    public IReadOnlyList<SandboxLogEvent> Events => _events;

    /// <summary>Records an event; returns its uuid.</summary>
    public string Record(
        string eventType,
        string displayMessage,
        SandboxLogParty actor,
        IReadOnlyList<SandboxLogParty> targets,
        DateTimeOffset published,
        string outcome = "SUCCESS",
        string? reason = null,
        SandboxCaller? caller = null,
        string? country = null,
        string? city = null,
        bool? newCountry = null,
        string? requestUri = null,
        bool viaApiToken = false)
    {
        var sequence = ++_sequence;
        var uuid = Uuid(sequence, eventType, published);
        var requestId = Hex(sequence, "request", 32);
        var client = new JsonObject();
        var ipChain = new JsonArray();
        var ip = caller?.IpAddress;
        JsonObject? geo = null;
        JsonObject? security = null;
        if (country is not null)
        {
            geo = new JsonObject { ["country"] = country };
            if (Places.TryGetValue(country, out var place) && (city is null || city == place.City))
            {
                geo["city"] = place.City;
                geo["state"] = place.State;
                geo["postalCode"] = place.PostalCode;
                geo["geolocation"] = new JsonObject { ["lat"] = place.Lat, ["lon"] = place.Lon };
                ip ??= place.Ip;
                security = new JsonObject
                {
                    ["asNumber"] = place.AsNumber, ["asOrg"] = place.Isp, ["isp"] = place.Isp, ["domain"] = null, ["isProxy"] = false,
                };
            }
            else if (city is not null)
            {
                geo["city"] = city;
            }
        }

        var userAgent = caller?.UserAgent ?? (viaApiToken ? null : "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36");
        if (userAgent is not null)
        {
            client["userAgent"] = new JsonObject
            {
                ["rawUserAgent"] = userAgent,
                ["os"] = userAgent.Contains("Mac OS X", StringComparison.Ordinal) ? "Mac OS X" : "Unknown",
                ["browser"] = userAgent.Contains("Chrome/", StringComparison.Ordinal) ? "CHROME" : "UNKNOWN",
            };
        }

        client["device"] = viaApiToken ? "Unknown" : "Computer";
        if (ip is not null)
        {
            client["ipAddress"] = ip;
            var hop = new JsonObject { ["ip"] = ip, ["version"] = ip.Contains(':', StringComparison.Ordinal) ? "V6" : "V4" };
            if (geo is not null)
            {
                hop["geographicalContext"] = geo.DeepClone();
            }

            ipChain.Add(hop);
        }

        if (geo is not null)
        {
            client["geographicalContext"] = geo;
        }

        var debugData = new JsonObject { ["requestId"] = requestId };
        if (requestUri is not null)
        {
            debugData["requestUri"] = requestUri;
            debugData["url"] = requestUri;
        }

        if (newCountry is { } isNew)
        {
            debugData["behaviors"] = Behaviours(isNew);
            debugData["threatSuspected"] = "false";
        }

        var body = new JsonObject
        {
            ["actor"] = Party(actor),
            ["client"] = client,
            ["authenticationContext"] = new JsonObject
            {
                ["authenticationStep"] = 0,
                ["externalSessionId"] = viaApiToken ? "unknown" : "idx" + Hex(sequence, "session", 22),
            },
            ["displayMessage"] = displayMessage,
            ["eventType"] = eventType,
            ["outcome"] = reason is null ? new JsonObject { ["result"] = outcome } : new JsonObject { ["result"] = outcome, ["reason"] = reason },
            ["published"] = SandboxFactorFactory.Timestamp(published),
            ["severity"] = outcome == "SUCCESS" ? "INFO" : "WARN",
            ["debugContext"] = new JsonObject { ["debugData"] = debugData },
            ["transaction"] = new JsonObject
            {
                ["type"] = "WEB",
                ["id"] = requestId,
                ["detail"] = viaApiToken ? new JsonObject { ["requestApiTokenId"] = ApiTokenId } : new JsonObject(),
            },
            ["uuid"] = uuid,
            ["version"] = "0",
            ["request"] = new JsonObject { ["ipChain"] = ipChain },
            ["target"] = new JsonArray([.. targets.Select(t => (JsonNode)Party(t))]),
        };
        if (security is not null)
        {
            body["securityContext"] = security;
        }

        if (eventType == "user.session.start")
        {
            body["legacyEventType"] = outcome == "SUCCESS" ? "core.user_auth.login_success" : "core.user_auth.login_failed";
        }

        _events.Add(new SandboxLogEvent(sequence, uuid, published, eventType, actor.Id, [.. targets.Select(t => t.Id)], body));
        return uuid;
    }

    /// <summary>listLogEvents: the events the query selects, or Okta's 400 for a query it would refuse.</summary>
    public SandboxReply Query(IReadOnlyList<KeyValuePair<string, string>> query, DateTimeOffset now)
    {
        string? Value(string name) => query.FirstOrDefault(p => p.Key == name).Value;

        var until = now;
        if (Value("until") is { } rawUntil)
        {
            if (ParseTimestamp(rawUntil) is not { } parsedUntil)
            {
                return InvalidDate();
            }

            until = parsedUntil;
        }

        var since = until.AddDays(-7);
        if (Value("since") is { } rawSince)
        {
            if (ParseTimestamp(rawSince) is not { } parsedSince)
            {
                return InvalidDate();
            }

            since = parsedSince;
        }

        if (since > until)
        {
            return Validation("since", "since: must not be later than until.");
        }

        var limit = DefaultLimit;
        if (Value("limit") is { } rawLimit &&
            (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit > MaxLimit))
        {
            return Validation("limit", $"limit: must be a whole number from 0 to {MaxLimit}.");
        }

        var descending = false;
        switch (Value("sortOrder"))
        {
            case null or "ASCENDING":
                break;
            case "DESCENDING":
                descending = true;
                break;
            default:
                return Validation("sortOrder", "sortOrder: must be ASCENDING or DESCENDING.");
        }

        ScimFilter? filter = null;
        if (Value("filter") is { } rawFilter)
        {
            filter = ScimFilter.Parse(rawFilter, out var problem);
            problem ??= filter!.Comparisons()
                .Where(c => !FilterAttributes.Contains(c.Attribute, StringComparer.Ordinal) || !FilterOperators.Contains(c.Operator, StringComparer.Ordinal))
                .Select(c => $"'{c.Attribute} {c.Operator}' is not supported: the sandbox filters on actor.id, target.id and eventType with eq or sw.")
                .FirstOrDefault();
            if (problem is not null)
            {
                return SandboxReply.Error(400, "E0000031", "Invalid search criteria.", $"filter: {problem}");
            }
        }

        string[] keywords = [];
        if (Value("q") is { } q)
        {
            keywords = q.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (keywords.Length is 0 or > MaxKeywords || keywords.Any(k => k.Length > MaxKeywordLength))
            {
                return Validation("q", $"q: from 1 to {MaxKeywords} keywords of at most {MaxKeywordLength} characters each.");
            }
        }

        var selected = _events
            .Where(e => e.Published >= since && e.Published <= until)
            .Where(e => filter is null || filter.Matches(c => Compare(e, c)))
            .Where(e => keywords.All(k => e.SearchText.Contains(k.ToLowerInvariant(), StringComparison.Ordinal)));
        var ordered = (descending
            ? selected.OrderByDescending(e => e.Published).ThenByDescending(e => e.Sequence)
            : selected.OrderBy(e => e.Published).ThenBy(e => e.Sequence)).ToList();

        if (Value("after") is { } after)
        {
            var index = ordered.FindIndex(e => e.Uuid == after);
            if (index < 0)
            {
                return SandboxReply.Error(400, "E0000029", "Invalid paging request.");
            }

            ordered = ordered.Skip(index + 1).ToList();
        }

        var page = ordered.Take(limit).ToList();
        var links = new List<string> { $"<{LogsUrl(query, after: null, keepAfter: true)}>; rel=\"self\"" };
        if (ordered.Count > page.Count && page.Count > 0)
        {
            links.Add($"<{LogsUrl(query, page[^1].Uuid, keepAfter: false)}>; rel=\"next\"");
        }

        return SandboxReply.Ok(new JsonArray([.. page.Select(e => (JsonNode)e.Body.DeepClone())])) with
        {
            Headers = new Dictionary<string, string> { ["Link"] = string.Join(", ", links) },
        };
    }

    /// <summary>Okta's sign-in behaviour detection, in the text form real events carry in debugData.</summary>
    public static string Behaviours(bool newCountry) =>
        $"{{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, New Country={(newCountry ? "POSITIVE" : "NEGATIVE")}, Velocity=NEGATIVE, New City=NEGATIVE}}";

    private static bool Compare(SandboxLogEvent e, ScimComparison c)
    {
        IEnumerable<string> values = c.Attribute switch
        {
            "actor.id" => [e.ActorId],
            "target.id" => e.TargetIds,
            _ => [e.EventType],
        };
        return c.Operator == "eq"
            ? values.Any(v => string.Equals(v, c.Value, StringComparison.Ordinal))
            : values.Any(v => v.StartsWith(c.Value, StringComparison.Ordinal));
    }

    private string LogsUrl(IReadOnlyList<KeyValuePair<string, string>> query, string? after, bool keepAfter)
    {
        var pairs = query.Where(p => keepAfter || p.Key != "after").Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}").ToList();
        if (after is not null)
        {
            pairs.Add("after=" + Uri.EscapeDataString(after));
        }

        var origin = baseUrl().GetLeftPart(UriPartial.Authority);
        return pairs.Count == 0 ? $"{origin}/api/v1/logs" : $"{origin}/api/v1/logs?{string.Join('&', pairs)}";
    }

    /// <summary>ISO 8601 with a time and an offset (Okta's examples: 2024-08-13T15:58:20.353Z); null otherwise.</summary>
    private static DateTimeOffset? ParseTimestamp(string raw) =>
        Iso8601().IsMatch(raw) && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;

    private static SandboxReply InvalidDate() => SandboxReply.Error(400, "E0000030",
        "Bad request. Invalid date. Dates must be of the form yyyy-MM-dd'T'HH:mm:ss.SSSZZ, e.g. 2013-01-01T12:00:00.000-07:00.");

    private static SandboxReply Validation(string what, string cause) => SandboxReply.Error(400, "E0000001", $"Api validation failed: {what}", cause);

    private static JsonObject Party(SandboxLogParty party) => new()
    {
        ["id"] = party.Id,
        ["type"] = party.Type,
        ["alternateId"] = party.AlternateId,
        ["displayName"] = party.DisplayName,
    };

    /// <summary>A stable UUID-shaped id (version-1 layout like Okta's) derived from the event, so a seeded log reads the same every run.</summary>
    private static string Uuid(long sequence, string eventType, DateTimeOffset published)
    {
        var hex = Hex(sequence, eventType + published.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), 32);
        return $"{hex[..8]}-{hex[8..12]}-11f0-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Hex(long sequence, string salt, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sequence}|{salt}")))[..length];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex Iso8601();
}
