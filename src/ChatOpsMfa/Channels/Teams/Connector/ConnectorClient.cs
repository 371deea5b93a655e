using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// The Bot Connector REST API (v3) at an activity's serviceUrl. Every call carries the bot's token, and only to a
/// trusted serviceUrl host. A throttled (429, after its <c>Retry-After</c>) or briefly unavailable (502/503/504)
/// Connector is retried a few times with jittered back-off; a 401 renews the token once. Every failure becomes a
/// <see cref="ConnectorCallException"/> with the Connector's error code, read from either error shape it uses.
/// </summary>
internal sealed partial class ConnectorClient(
    IHttpClientFactory httpClients,
    ConnectorTokenProvider tokens,
    TrustedServiceUrls trusted,
    ConnectorRetryPolicy retry,
    TimeProvider time,
    ILogger<ConnectorClient> logger)
{
    public const string HttpClientName = "TeamsConnector";

    /// <summary>The most members Teams returns in one page.</summary>
    public const int RosterPageSize = 500;

    /// <summary>Posts an activity to a conversation (or, with a <c>;messageid=</c> id, into a channel thread). Returns its id.</summary>
    public async Task<string> SendAsync(Uri serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("send", HttpMethod.Post, serviceUrl,
            $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", activity, cancellationToken);
        return IdOf(answer, "id") ?? throw Missing("send", "id");
    }

    /// <summary>Replaces an activity for everyone who sees it.</summary>
    public async Task UpdateAsync(Uri serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        activity["id"] = activityId;
        await CallAsync("update", HttpMethod.Put, serviceUrl,
            $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}", activity, cancellationToken);
    }

    /// <summary>Creates (or finds) the 1:1 conversation between the bot and a member. Returns the conversation id.</summary>
    public async Task<string> CreateConversationAsync(Uri serviceUrl, JsonObject parameters, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("create conversation", HttpMethod.Post, serviceUrl, "v3/conversations", parameters, cancellationToken);
        return IdOf(answer, "id") ?? throw Missing("create conversation", "id");
    }

    public async Task<TeamsMember> GetMemberAsync(Uri serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("get member", HttpMethod.Get, serviceUrl,
            $"v3/conversations/{Uri.EscapeDataString(conversationId)}/members/{Uri.EscapeDataString(memberId)}", null, cancellationToken);
        return MemberOf(answer, memberId)!;
    }

    /// <summary>One page of a conversation's (or team's) roster, and the token for the next page (null on the last).</summary>
    public async Task<(IReadOnlyList<TeamsMember> Members, string? ContinuationToken)> GetPagedMembersAsync(
        Uri serviceUrl, string conversationId, string? continuationToken, CancellationToken cancellationToken)
    {
        var path = $"v3/conversations/{Uri.EscapeDataString(conversationId)}/pagedmembers?pageSize={RosterPageSize}"
            + (continuationToken is null ? "" : "&continuationToken=" + Uri.EscapeDataString(continuationToken));
        var answer = await CallAsync("get paged members", HttpMethod.Get, serviceUrl, path, null, cancellationToken);
        var members = (answer?["members"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(m => MemberOf(m, null))
            .Where(m => m is not null)
            .Select(m => m!)
            .ToList();
        return (members, IdOf(answer, "continuationToken"));
    }

    private static TeamsMember? MemberOf(JsonObject? answer, string? memberId) =>
        (IdOf(answer, "id") ?? memberId) is { } id
            ? new TeamsMember(
                id,
                IdOf(answer, "name"),
                IdOf(answer, "email"),
                IdOf(answer, "userPrincipalName"),
                IdOf(answer, "aadObjectId") ?? IdOf(answer, "objectId"),
                IdOf(answer, "tenantId"))
            : null;

    private async Task<JsonObject?> CallAsync(
        string operation, HttpMethod method, Uri serviceUrl, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        if (!trusted.IsTrusted(serviceUrl))
        {
            // Never hand the token to a host we do not know, whatever the activity claimed.
            LogUntrustedServiceUrl(logger, operation, serviceUrl.Host);
            throw new ConnectorCallException(operation, null, "UntrustedServiceUrl",
                $"Connector {operation} refused: serviceUrl host '{serviceUrl.Host}' is not trusted (add it to TrustedServiceUrlHosts if it is genuine).");
        }

        var baseUri = serviceUrl.AbsoluteUri.EndsWith('/') ? serviceUrl : new Uri(serviceUrl.AbsoluteUri + "/");
        var renewedToken = false;
        for (var retries = 0; ; retries++)
        {
            var token = await tokens.GetTokenAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !renewedToken)
            {
                // The token may have been revoked or rotated early: one fresh token, once.
                renewedToken = true;
                tokens.Forget(token);
                LogTokenRenewed(logger, operation);
                retries--;
                continue;
            }

            if (WaitBeforeRetry(response, retries) is { } wait)
            {
                LogRetrying(logger, operation, serviceUrl.Host, (int)response.StatusCode, wait, retries + 1);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            throw Failed(operation, serviceUrl, response.StatusCode, text);
        }
    }

    /// <summary>How long to wait before trying again, or null when this failure is not retried (or not any more).</summary>
    private TimeSpan? WaitBeforeRetry(HttpResponseMessage response, int retries)
    {
        if (retries >= retry.MaxRetries)
        {
            return null;
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                var asked = response.Headers.RetryAfter is { } header
                    ? header.Delta ?? (header.Date is { } at ? at - time.GetUtcNow() : null)
                    : null;
                if (asked is not { } after)
                {
                    return retry.BackOff(retries);
                }

                // A long ban is the caller's to wait out (the outbox tries again later); never spin on it here.
                return after > retry.MaxRetryAfter ? null : after < TimeSpan.Zero ? TimeSpan.Zero : after;
            case HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout:
                return retry.BackOff(retries);
            default:
                return null;
        }
    }

    private ConnectorCallException Failed(string operation, Uri serviceUrl, HttpStatusCode status, string body)
    {
        var (code, message) = ErrorOf(body);
        if (status == HttpStatusCode.Forbidden && code is "MessageWritesBlocked" or "ConversationBlockedByUser")
        {
            LogBlocked(logger, operation, code);
        }
        else
        {
            LogCallFailed(logger, operation, serviceUrl.Host, (int)status, code ?? "no code", message ?? "");
        }

        return new ConnectorCallException(operation, status, code,
            $"Connector {operation} failed: HTTP {(int)status} {code ?? "(no error code)"}{(message is null ? "" : ": " + message)}");
    }

    /// <summary>
    /// The Connector's error, in either shape it answers with: <c>{"error":{"code","message"}}</c>, or Teams'
    /// <c>{"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\",...}"}</c> whose message is itself JSON.
    /// </summary>
    internal static (string? Code, string? Message) ErrorOf(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject root)
            {
                return (null, null);
            }

            if (root["error"] is JsonObject error)
            {
                return (Text(error["code"]), Text(error["message"]) is { } message ? Truncate(message) : null);
            }

            if (root["errorCode"] is JsonValue errorCode)
            {
                var message = Text(root["message"]);
                var inner = message is not null && message.TrimStart().StartsWith('{') ? JsonNode.Parse(message) as JsonObject : null;
                var code = Text(inner?["subCode"]) ?? Text(inner?["code"]) ?? errorCode.ToJsonString().Trim('"');
                var detail = Text(inner?["details"]) ?? Text(inner?["message"]) ?? (inner is null ? message : null);
                return (code, detail is null ? null : Truncate(detail));
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the status alone has to do.
        }

        return (null, null);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Truncate(string text) =>
        string.Concat((text.Length <= 200 ? text : text[..200]).Select(c => char.IsControl(c) ? ' ' : c));

    private static string? IdOf(JsonObject? answer, string name) =>
        answer?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static ConnectorCallException Missing(string operation, string field) =>
        new(operation, null, "MalformedResponse", $"Connector {operation} answered without '{field}'.");

    [LoggerMessage(EventId = 4420, Level = LogLevel.Error,
        Message = "Connector {Operation} refused to send the bot token to untrusted serviceUrl host {Host}")]
    private static partial void LogUntrustedServiceUrl(ILogger logger, string operation, string host);

    [LoggerMessage(EventId = 4421, Level = LogLevel.Warning,
        Message = "Connector {Operation} failed: 403 {Code}. The user has blocked or removed the bot; they will not get this message")]
    private static partial void LogBlocked(ILogger logger, string operation, string code);

    [LoggerMessage(EventId = 4423, Level = LogLevel.Warning,
        Message = "Connector {Operation} at {Host} answered {Status}; trying again in {Wait} (retry {Retry})")]
    private static partial void LogRetrying(ILogger logger, string operation, string host, int status, TimeSpan wait, int retry);

    [LoggerMessage(EventId = 4424, Level = LogLevel.Warning,
        Message = "Connector {Operation} answered 401; renewing the bot token and trying once more")]
    private static partial void LogTokenRenewed(ILogger logger, string operation);

    [LoggerMessage(EventId = 4422, Level = LogLevel.Error,
        Message = "Connector {Operation} at {Host} failed: HTTP {Status} {Code} {Detail}")]
    private static partial void LogCallFailed(ILogger logger, string operation, string host, int status, string code, string detail);
}
