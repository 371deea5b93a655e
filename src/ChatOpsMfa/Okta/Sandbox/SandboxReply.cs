using System.Text.Json.Nodes;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>What the sandbox answers: a status and an optional JSON body (an Okta object, array or error).</summary>
internal sealed record SandboxReply(int StatusCode, JsonNode? Body)
{
    /// <summary>Response headers beyond the common ones (e.g. a list's <c>Link</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static SandboxReply Ok(JsonNode? body) => new(200, body);

    public static SandboxReply Error(int statusCode, string errorCode, string errorSummary, params string[] causes) =>
        new(statusCode, ErrorBody(errorCode, errorSummary, causes));

    public static SandboxReply UserNotFound(string idOrLogin) =>
        Error(404, "E0000007", $"Not found: Resource not found: {idOrLogin} (User)");

    public static SandboxReply FactorNotFound(string factorId) =>
        Error(404, "E0000007", $"Not found: Resource not found: {factorId} (UserFactor)");

    public static SandboxReply EnrollValidation(params string[] causes) =>
        Error(400, "E0000001", "Api validation failed: factorEnrollRequest", causes);

    /// <summary>Okta's error body: <c>{errorCode, errorSummary, errorLink, errorId, errorCauses}</c>.</summary>
    public static JsonObject ErrorBody(string errorCode, string errorSummary, params string[] causes) => new()
    {
        ["errorCode"] = errorCode,
        ["errorSummary"] = errorSummary,
        ["errorLink"] = errorCode,
        ["errorId"] = "oae" + SandboxFactorFactory.NewId("").Substring(0, 22 - 3),
        ["errorCauses"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject { ["errorSummary"] = c }).ToArray()),
    };
}
