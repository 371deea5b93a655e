using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Slack's Web API over plain HTTP: JSON or form arguments (whichever the method takes) and a bearer token,
/// <c>ok:false</c> turned into a <see cref="SlackApiException"/> naming Slack's <c>error</c>. A 429 is answered by waiting <c>Retry-After</c> (within
/// a bound) and trying again; 5xx answers, timeouts and dropped connections are retried a bounded number of times only
/// for calls that are safe to repeat (<see cref="SlackCallKind"/>); <c>views.open</c> never waits at all.
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

    /// <summary>
    /// Sends a file's bytes to the <c>upload_url</c> that <c>files.getUploadURLExternal</c> answered (raw bytes, as
    /// Slack's file upload guide allows; HTTP 200 means received). The URL is refused unless it is Slack's upload host
    /// (<see cref="SlackUploadHost"/>): a tampered answer cannot make the bot send a QR code, or its token, elsewhere.
    /// A 5xx, a timeout or a dropped connection is retried a bounded number of times: the ticket takes the same bytes again.
    /// </summary>
    public async Task UploadAsync(Uri uploadUrl, byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploadUrl);
        ArgumentNullException.ThrowIfNull(bytes);
        var settings = options.Value;
        if (!SlackUploadHost.Trusts(uploadUrl, settings.ApiBaseUrl))
        {
            LogUntrustedUpload(uploadUrl.Host);
            throw new SlackApiException(UploadStep, SlackUploadHost.Refused, "the upload URL is not on Slack's upload host");
        }

        var http = clients.CreateClient(HttpClientName);
        for (var failed = 0; ; failed++)
        {
            var failure = await UploadOnceAsync(http, uploadUrl, bytes, settings.BotToken, cancellationToken);
            if (failure is null)
            {
                return;
            }

            var transient = failure.Error is "timeout" or "connection_failed" || failure.Error.StartsWith("http_5", StringComparison.Ordinal);
            if (!transient || failed >= settings.MaxTransientRetries)
            {
                throw failure;
            }

            LogRetrying(UploadStep, failure.Error, failed + 1);
            await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, failed) + Random.Shared.Next(100)), time, cancellationToken);
        }
    }

    /// <summary>The name the upload itself goes by in errors and logs (it is not a Web API method).</summary>
    public const string UploadStep = "files.upload_url";

    private static async Task<SlackApiException?> UploadOnceAsync(HttpClient http, Uri uploadUrl, byte[] bytes, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode
                ? null
                : new SlackApiException(UploadStep, "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SlackApiException(UploadStep, "timeout", "no answer within the HTTP timeout");
        }
        catch (HttpRequestException error)
        {
            return new SlackApiException(UploadStep, "connection_failed", error.HttpRequestError.ToString());
        }
    }

    /// <summary>
    /// The body for <paramref name="method"/>: JSON where Slack reads JSON (<see cref="SlackMethods.TakesJson"/>), form
    /// arguments elsewhere. Measured under a burst of <c>/mfa-reset</c> (bench/slack, burst mode): percent-encoding the
    /// modal's view into a form took a sixth of the bot's CPU, more than answering the command itself; a JSON body
    /// copies it as it is.
    /// </summary>
    internal static HttpContent Body(string method, JsonObject arguments) =>
        SlackMethods.TakesJson(method) ? JsonBody(arguments) : FormBody(arguments);

    /// <summary>
    /// Form arguments: what Slack's Web API description (slackapi/slack-api-specs) lists as the only body for
    /// <c>users.info</c>, <c>users.lookupByEmail</c> and <c>bots.info</c>. JSON-valued arguments (<c>blocks</c>,
    /// <c>view</c>) travel as JSON strings, as the description asks and as Slack's node SDK sends them.
    /// </summary>
    internal static FormUrlEncodedContent FormBody(JsonObject arguments) =>
        new(arguments.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value switch
        {
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            JsonValue v when v.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
            var node => node!.ToJsonString(),
        })));

    /// <summary>
    /// A JSON body (<c>application/json; charset=utf-8</c>, with the token in the Authorization header, as Slack asks of
    /// JSON posts). A JSON-valued argument given already serialised (a string holding the view, as the plain request
    /// form is kept) is written as that JSON value, not as a string, once the JSON reader has accepted it.
    /// </summary>
    internal static ByteArrayContent JsonBody(JsonObject arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments)
            {
                if (value is null)
                {
                    continue;
                }

                writer.WritePropertyName(name);
                if (JsonValuedArguments.Contains(name) && value is JsonValue text && text.TryGetValue<string>(out var json))
                {
                    // Checked once per string: the plain request form is one string sent with every /mfa-reset.
                    writer.WriteRawValue(CheckedUtf8.GetValue(json, Utf8Json), skipInputValidation: true);
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>A JSON-valued argument's UTF-8, once the JSON reader has accepted it (it throws on anything else).</summary>
    private static readonly ConditionalWeakTable<string, byte[]> CheckedUtf8 = [];

    private static byte[] Utf8Json(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        using var _ = JsonDocument.Parse(utf8); // refuses what is not one JSON value, before anything is sent
        return utf8;
    }

    /// <summary>The arguments Slack's description types as JSON: sent as JSON values in a JSON body.</summary>
    private static readonly FrozenSet<string> JsonValuedArguments = new[] { "blocks", "view", "attachments" }.ToFrozenSet(StringComparer.Ordinal);

    private async Task<JsonObject> SendAsync(string method, JsonObject arguments, string token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var kind = SlackMethods.KindOf(method);
        var http = clients.CreateClient(HttpClientName);
        var rateLimited = 0;
        var failed = 0;
        while (true)
        {
            var outcome = await AttemptAsync(http, method, arguments, token, cancellationToken);
            switch (outcome)
            {
                case { RetryAfter: { } wait }:
                    if (kind == SlackCallKind.Immediate || rateLimited >= settings.MaxRateLimitRetries || wait > settings.MaxRetryAfter)
                    {
                        throw new SlackApiException(method, "ratelimited", $"Retry-After {wait.TotalSeconds:0}s after {rateLimited + 1} attempt(s)");
                    }

                    rateLimited++;
                    LogRateLimited(method, wait.TotalSeconds, rateLimited);
                    await Task.Delay(wait, time, cancellationToken);
                    continue;
                case { Answer: { } answer }:
                    return answer;
                case { Failure: { } failure }:
                    // Only a call that is the same when done twice is repeated; a post that timed out may have been posted.
                    if (kind != SlackCallKind.Idempotent || failed >= settings.MaxTransientRetries)
                    {
                        throw failure;
                    }

                    failed++;
                    var delay = TimeSpan.FromMilliseconds(200 * Math.Pow(2, failed - 1) + Random.Shared.Next(100));
                    LogRetrying(method, failure.Error, failed);
                    await Task.Delay(delay, time, cancellationToken);
                    continue;
            }
        }
    }

    private async Task<Attempt> AttemptAsync(HttpClient http, string method, JsonObject arguments, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.ApiBaseUrl, method))
        {
            Content = Body(method, arguments),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Failed(new SlackApiException(method, "timeout", "no answer within the HTTP timeout"));
        }
        catch (HttpRequestException error)
        {
            return Attempt.Failed(new SlackApiException(method, "connection_failed", error.HttpRequestError.ToString()));
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new Attempt(null, null, response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            }

            if (!response.IsSuccessStatusCode)
            {
                var error = new SlackApiException(method, "http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                return (int)response.StatusCode >= 500 ? Attempt.Failed(error) : throw error;
            }

            var body = await ReadAnswerAsync(method, response, cancellationToken);
            if (body["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk)
            {
                return new Attempt(body, null, null);
            }

            var code = body["error"] is JsonValue e && e.TryGetValue<string>(out var text) ? text : "unknown_error";
            LogRefused(method, code);
            var refused = new SlackApiException(method, code, Detail(body));
            return SlackMethods.IsTransient(code) ? Attempt.Failed(refused) : throw refused;
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

    private sealed record Attempt(JsonObject? Answer, SlackApiException? Failure, TimeSpan? RetryAfter)
    {
        public static Attempt Failed(SlackApiException failure) => new(null, failure, null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} rate limited; retrying in {Seconds}s (attempt {Attempt})")]
    private partial void LogRateLimited(string method, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} failed on the way ({Error}); it is safe to repeat, retry {Retry}")]
    private partial void LogRetrying(string method, string error, int retry);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack answered an upload URL on host {Host}, which is not Slack's upload host; nothing was sent")]
    private partial void LogUntrustedUpload(string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack {Method} answered ok:false, error {Error}")]
    private partial void LogRefused(string method, string error);
}
