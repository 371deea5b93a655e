using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Slack's Web API over plain HTTP: JSON bodies, a bearer token, <c>ok:false</c> turned into a <see cref="SlackApiException"/>
/// naming Slack's <c>error</c>, and 429 answered by waiting <c>Retry-After</c> (within a bound) and trying again.
/// </summary>
public sealed partial class SlackApiClient(IHttpClientFactory clients, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackApiClient> logger)
{
    public const string HttpClientName = "slack";

    /// <summary>Calls <paramref name="method"/> with the bot token and returns Slack's answer when it says <c>ok</c>.</summary>
    public Task<JsonObject> CallAsync(string method, JsonObject arguments, CancellationToken cancellationToken) =>
        SendAsync(method, arguments, options.Value.BotToken, cancellationToken);

    /// <summary>Socket Mode: a fresh WebSocket URL from <c>apps.connections.open</c>, with the app-level token.</summary>
    public async Task<Uri> OpenSocketConnectionAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync("apps.connections.open", [], options.Value.AppToken, cancellationToken);
        return answer["url"] is JsonValue url && Uri.TryCreate(url.GetValue<string>(), UriKind.Absolute, out var uri)
            ? uri
            : throw new SlackApiException("apps.connections.open", "no_url", "the answer had no WebSocket URL");
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject arguments, string token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var http = clients.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiBaseUrl, method))
            {
                Content = JsonContent.Create(arguments),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                if (attempt >= settings.MaxRateLimitRetries || wait > settings.MaxRetryAfter)
                {
                    throw new SlackApiException(method, "ratelimited",
                        $"Retry-After {wait.TotalSeconds:0}s after {attempt + 1} attempt(s)");
                }

                LogRateLimited(method, wait.TotalSeconds, attempt + 1);
                await Task.Delay(wait, time, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(method, "http_" + (int)response.StatusCode);
            }

            var body = await ReadAnswerAsync(method, response, cancellationToken);
            if (body["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk)
            {
                return body;
            }

            var error = body["error"] is JsonValue e && e.TryGetValue<string>(out var code) ? code : "unknown_error";
            LogRefused(method, error);
            throw new SlackApiException(method, error, Detail(body));
        }
    }

    private static async Task<JsonObject> ReadAnswerAsync(string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
                ?? throw new SlackApiException(method, "empty_response");
        }
        catch (System.Text.Json.JsonException)
        {
            // A proxy's HTML error page, say: report it as Slack's failure, not a crash in the caller.
            throw new SlackApiException(method, "invalid_json", "the answer was not a JSON object");
        }
    }

    // Slack explains invalid_arguments / invalid_blocks in response_metadata.messages; those name fields, not values.
    private static string? Detail(JsonObject body) =>
        body["response_metadata"]?["messages"] is JsonArray { Count: > 0 } messages
            ? string.Join("; ", messages.Select(m => m?.ToString()).Take(3))
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} rate limited; retrying in {Seconds}s (attempt {Attempt})")]
    private partial void LogRateLimited(string method, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered ok:false, error {Error}")]
    private partial void LogRefused(string method, string error);
}
