using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// The Bot Connector REST API (v3) at an activity's serviceUrl. Every call carries the bot's token, and only to a
/// trusted serviceUrl host; every failure becomes a <see cref="ConnectorCallException"/> and a log line.
/// </summary>
internal sealed partial class ConnectorClient(
    IHttpClientFactory httpClients, ConnectorTokenProvider tokens, TrustedServiceUrls trusted, ILogger<ConnectorClient> logger)
{
    public const string HttpClientName = "TeamsConnector";

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
        return new TeamsMember(
            IdOf(answer, "id") ?? memberId,
            IdOf(answer, "name"),
            IdOf(answer, "email"),
            IdOf(answer, "userPrincipalName"),
            IdOf(answer, "aadObjectId") ?? IdOf(answer, "objectId"),
            IdOf(answer, "tenantId"));
    }

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
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failed(operation, serviceUrl, response.StatusCode, text);
        }

        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
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

    private static (string? Code, string? Message) ErrorOf(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } root && root["error"] is JsonObject error)
            {
                return (error["code"]?.GetValueKind() == JsonValueKind.String ? error["code"]!.GetValue<string>() : null,
                    error["message"]?.GetValueKind() == JsonValueKind.String ? Truncate(error["message"]!.GetValue<string>()) : null);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the status alone has to do.
        }

        return (null, null);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

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

    [LoggerMessage(EventId = 4422, Level = LogLevel.Error,
        Message = "Connector {Operation} at {Host} failed: HTTP {Status} {Code} {Detail}")]
    private static partial void LogCallFailed(ILogger logger, string operation, string host, int status, string code, string detail);
}
