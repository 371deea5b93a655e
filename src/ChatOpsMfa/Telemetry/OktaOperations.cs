namespace ChatOpsMfa.Telemetry;

/// <summary>
/// Names an Okta call by the operationId of its method and path template in Okta's OpenAPI description
/// (<c>Okta/openapi/okta-openapi-original.yml</c>), the way the Arazzo workflows name it. Real Okta does not say which
/// operation a URL is, and a URL carries user and factor ids, which must never become a metric label.
/// </summary>
public static class OktaOperations
{
    public const string Other = "other";

    /// <summary>Method, path template, operationId; <c>{x}</c> stands for one path segment.</summary>
    internal static readonly (string Method, string Template, string OperationId)[] Known =
    [
        ("GET", "/api/v1/users", "listUsers"),
        ("GET", "/api/v1/users/{id}", "getUser"),
        ("GET", "/api/v1/users/{id}/groups", "listUserGroups"),
        ("POST", "/api/v1/users/{userId}/lifecycle/reset_factors", "resetFactors"),
        ("GET", "/api/v1/users/{userId}/factors", "listFactors"),
        ("POST", "/api/v1/users/{userId}/factors", "enrollFactor"),
        ("GET", "/api/v1/users/{userId}/factors/{factorId}", "getFactor"),
        ("DELETE", "/api/v1/users/{userId}/factors/{factorId}", "unenrollFactor"),
        ("POST", "/api/v1/users/{userId}/factors/{factorId}/lifecycle/activate", "activateFactor"),
        ("POST", "/api/v1/users/{userId}/factors/{factorId}/resend", "resendEnrollFactor"),
        ("GET", "/api/v1/users/{userId}/roles", "listAssignedRolesForUser"),
        ("DELETE", "/api/v1/users/{userId}/sessions", "revokeUserSessions"),
        ("GET", "/api/v1/logs", "listLogEvents"),
        ("GET", "/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}", "getFactorTransactionStatus"),
        ("POST", "/api/v1/users/{userId}/factors/{factorId}/verify", "verifyFactor"),
        // OAuth 2.0 service apps (Okta:Client:AuthorizationMode=PrivateKey) get their access tokens here.
        ("POST", "/oauth2/v1/token", "token"),
    ];

    /// <summary>The operationId for <paramref name="method"/> on <paramref name="path"/>, or <see cref="Other"/>.</summary>
    public static string Resolve(HttpMethod method, string path)
    {
        var segments = path.Trim('/').Split('/');
        foreach (var (knownMethod, template, operationId) in Known)
        {
            if (string.Equals(method.Method, knownMethod, StringComparison.OrdinalIgnoreCase) && Matches(template, segments))
            {
                return operationId;
            }
        }

        return Other;
    }

    /// <summary>The path template of an operation (for traces), or null when it is not one the bot knows.</summary>
    public static string? TemplateOf(string operationId) =>
        Known.FirstOrDefault(k => k.OperationId == operationId).Template;

    private static bool Matches(string template, string[] segments)
    {
        var parts = template.Trim('/').Split('/');
        if (parts.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var placeholder = parts[i].StartsWith('{');
            if (placeholder ? segments[i].Length == 0 : !string.Equals(parts[i], segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
