using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// listUsers with Okta's three ways to narrow it (one at a time): <c>search</c> (SCIM: <c>profile.&lt;attribute&gt;</c>,
/// <c>id</c> or <c>status</c> with <c>eq</c> or <c>sw</c>; string values case-insensitive, as the description says),
/// <c>filter</c> (<c>eq</c> on id, status, profile.login, profile.email, profile.firstName, profile.lastName;
/// case-sensitive) and <c>q</c> (starts-with on first name, last name or email). Custom profile attributes come from
/// a test hook. Anything the sandbox does not understand is refused with Okta's code, never ignored.
/// </summary>
internal sealed partial class SandboxDirectory
{
    private const int DefaultUserLimit = 200;
    private const int DefaultQueryLimit = 10;

    private static readonly string[] FilterableUserAttributes = ["id", "status", "profile.login", "profile.email", "profile.firstName", "profile.lastName"];
    private static readonly string[] UnsupportedUserParameters = ["sortBy", "sortOrder", "fields", "expand"];

    public SandboxReply ListUsers(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        string? Value(string name) => query.FirstOrDefault(p => p.Key == name).Value;

        lock (_gate)
        {
            var search = Value("search");
            var filterText = Value("filter");
            var q = Value("q");
            if (new[] { search, filterText, q }.Count(v => v is not null) > 1)
            {
                return SandboxReply.Error(400, "E0000033", "Bad request. Can't specify a search query and filter in the same request.");
            }

            if (UnsupportedUserParameters.FirstOrDefault(p => Value(p) is not null) is { } unsupported)
            {
                return SandboxReply.Error(400, "E0000001", $"Api validation failed: {unsupported}", $"{unsupported}: not supported by the Okta sandbox.");
            }

            var limit = q is null ? DefaultUserLimit : DefaultQueryLimit;
            if (Value("limit") is { } rawLimit &&
                (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > DefaultUserLimit))
            {
                return SandboxReply.Error(400, "E0000001", "Api validation failed: limit", $"limit: must be a whole number from 1 to {DefaultUserLimit}.");
            }

            IEnumerable<SandboxUser> users = _users.OrderBy(u => u.Id, StringComparer.Ordinal);
            if (search is not null)
            {
                var parsed = ScimFilter.Parse(search, out var problem);
                problem ??= parsed!.Comparisons().Select(SearchProblem).FirstOrDefault(p => p is not null);
                if (problem is not null)
                {
                    return SandboxReply.Error(400, "E0000031", "Invalid search criteria.", $"search: {problem}");
                }

                users = users.Where(u => parsed!.Matches(c => Holds(u, c, StringComparison.OrdinalIgnoreCase)));
            }
            else if (filterText is not null)
            {
                var parsed = ScimFilter.Parse(filterText, out var problem);
                problem ??= parsed!.Comparisons()
                    .Where(c => !FilterableUserAttributes.Contains(c.Attribute, StringComparer.Ordinal) || c.Operator != "eq")
                    .Select(c => $"'{c.Attribute} {c.Operator}' is not supported: filter takes eq on {string.Join(", ", FilterableUserAttributes)}.")
                    .FirstOrDefault();
                if (problem is not null)
                {
                    return SandboxReply.Error(400, "E0000031", "Invalid search criteria.", $"filter: {problem}");
                }

                users = users.Where(u => parsed!.Matches(c => Holds(u, c, StringComparison.Ordinal)));
            }
            else if (q is not null)
            {
                users = users.Where(u => u.Status != "DEPROVISIONED" &&
                    new[] { u.FirstName, u.LastName, u.Email }.Any(v => v.StartsWith(q, StringComparison.OrdinalIgnoreCase)));
            }
            else
            {
                // Okta: a plain list leaves out DEPROVISIONED users; search and filter include them.
                users = users.Where(u => u.Status != "DEPROVISIONED");
            }

            var all = users.ToList();
            if (Value("after") is { } after)
            {
                var index = all.FindIndex(u => u.Id == after);
                if (index < 0)
                {
                    return SandboxReply.Error(400, "E0000029", "Invalid paging request.");
                }

                all = all.Skip(index + 1).ToList();
            }

            var page = all.Take(limit).ToList();
            var links = new List<string> { $"<{UsersUrl(query, null, keepAfter: true)}>; rel=\"self\"" };
            if (all.Count > page.Count && page.Count > 0)
            {
                links.Add($"<{UsersUrl(query, page[^1].Id, keepAfter: false)}>; rel=\"next\"");
            }

            return SandboxReply.Ok(new JsonArray([.. page.Select(u => (JsonNode)UserBody(u))])) with
            {
                Headers = new Dictionary<string, string> { ["Link"] = string.Join(", ", links) },
            };
        }
    }

    /// <summary>Test hook: a custom profile attribute (e.g. the chat id attribute identity binding reads).</summary>
    public void SetProfileAttribute(string userId, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!ProfileAttributeName().IsMatch(name) || BaseProfileNames.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a custom profile attribute name (letters, digits, _; not a base attribute).", nameof(name));
        }

        lock (_gate)
        {
            var user = Find(userId) ?? throw new InvalidOperationException($"The sandbox has no user {userId}.");
            user.CustomProfile[name] = value;
        }
    }

    private static readonly string[] BaseProfileNames =
        ["firstName", "lastName", "login", "email", "title", "department", "manager", "managerId", "mobilePhone", "primaryPhone",
         "secondEmail", "displayName", "nickName", "employeeNumber", "costCenter", "organization", "division", "userType"];

    /// <summary>Why a search comparison cannot be run, or null. Unknown profile attributes are refused, as Okta refuses a property its schema lacks.</summary>
    private string? SearchProblem(ScimComparison comparison)
    {
        if (comparison.Operator is not ("eq" or "sw"))
        {
            return $"the operator '{comparison.Operator}' is not supported by the sandbox (eq, sw).";
        }

        if (comparison.Attribute is "id" or "status")
        {
            return null;
        }

        if (!comparison.Attribute.StartsWith("profile.", StringComparison.Ordinal))
        {
            return $"'{comparison.Attribute}' is not a searchable property (profile.<attribute>, id, status).";
        }

        var name = comparison.Attribute["profile.".Length..];
        return BaseProfileNames.Contains(name, StringComparer.Ordinal) || _users.Any(u => u.CustomProfile.ContainsKey(name))
            ? null
            : $"'{comparison.Attribute}' is not an attribute of the user profile.";
    }

    private static bool Holds(SandboxUser user, ScimComparison comparison, StringComparison comparisonType)
    {
        var value = comparison.Attribute switch
        {
            "id" => user.Id,
            "status" => user.Status,
            _ => ProfileValue(user, comparison.Attribute["profile.".Length..]),
        };
        return value is not null && (comparison.Operator == "eq"
            ? string.Equals(value, comparison.Value, comparisonType)
            : value.StartsWith(comparison.Value, comparisonType));
    }

    private static string? ProfileValue(SandboxUser user, string name) =>
        user.CustomProfile.TryGetValue(name, out var custom) ? custom : BaseProfile(user).FirstOrDefault(p => p.Name == name).Value;

    private string UsersUrl(IReadOnlyList<KeyValuePair<string, string>> query, string? after, bool keepAfter)
    {
        var pairs = query.Where(p => keepAfter || p.Key != "after").Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}").ToList();
        if (after is not null)
        {
            pairs.Add("after=" + Uri.EscapeDataString(after));
        }

        var origin = _baseUrl().GetLeftPart(UriPartial.Authority);
        return pairs.Count == 0 ? $"{origin}/api/v1/users" : $"{origin}/api/v1/users?{string.Join('&', pairs)}";
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,79}$")]
    private static partial Regex ProfileAttributeName();
}
