using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// <c>POST /api/slack/commands</c>, <c>/interactions</c> and <c>/events</c>. The raw body is read and its signature
/// checked before anything is parsed; a request that fails gets 401 and nothing else happens.
/// </summary>
internal static partial class SlackEndpoints
{
    /// <summary>The log category of the three endpoints (a static class cannot be an <c>ILogger&lt;T&gt;</c>).</summary>
    private static readonly string LogCategory = typeof(SlackEndpoints).FullName!;

    /// <summary>Slack's payloads are a few KB; anything far bigger is not from Slack.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/slack");
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        group.MapPost("/commands", (HttpContext context, SlackRequestVerifier verifier, SlackInboundDispatcher dispatcher) =>
            HandleAsync(context, verifier, logger, allowSslCheck: true, body =>
            {
                // Parsed once: Slack's certificate check, signed or not, gets 200 and nothing else (docs.slack.dev, slash
                // commands, "ssl_check").
                var form = ParseForm(body);
                return IsSslCheck(form) ? ValueTask.FromResult(SlackAck.Ok) : dispatcher.HandleCommandAsync(form, context.RequestAborted);
            }));
        group.MapPost("/interactions", (HttpContext context, SlackRequestVerifier verifier, SlackInboundDispatcher dispatcher) =>
            HandleAsync(context, verifier, logger, allowSslCheck: false, body =>
            {
                var form = ParseForm(body);
                return form.TryGetValue("payload", out var json) && ParseObject(json) is { } payload
                    ? dispatcher.HandleInteractionAsync(payload, context.RequestAborted)
                    : ValueTask.FromResult(SlackAck.Malformed("the payload field is missing or is not a JSON object"));
            }));
        group.MapPost("/events", (HttpContext context, SlackRequestVerifier verifier, SlackInboundDispatcher dispatcher) =>
            HandleAsync(context, verifier, logger, allowSslCheck: false, body =>
                ParseObject(Encoding.UTF8.GetString(body)) is { } json
                    ? dispatcher.HandleEventAsync(json, context.RequestAborted)
                    : ValueTask.FromResult(SlackAck.Malformed("the body is not a JSON object"))));
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context, SlackRequestVerifier verifier, ILogger logger, bool allowSslCheck, Func<byte[], ValueTask<SlackAck>> dispatch)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var headers = context.Request.Headers;
        var verification = verifier.Verify(
            headers[SlackRequestVerifier.TimestampHeader], headers[SlackRequestVerifier.SignatureHeader], body);
        if (verification != SlackVerification.Valid)
        {
            // Slack's certificate check is the one unsigned request; it gets 200 and nothing else happens.
            if (allowSslCheck && verification == SlackVerification.MissingHeaders && IsSslCheck(body))
            {
                return Results.Ok();
            }

            LogRefused(logger, context.Request.Path, verification);
            return Results.Text("The request is not signed by Slack.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var ack = await dispatch(body);
        if (ack.Problem is not null)
        {
            LogMalformed(logger, context.Request.Path, ack.StatusCode, ack.Problem);
        }

        return ack.Body is { } json
            ? Results.Json(json, statusCode: ack.StatusCode)
            : ack.StatusCode == StatusCodes.Status200OK ? Results.Ok() : Results.Text(ack.Problem, statusCode: ack.StatusCode);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            // The usual case (Slack sends Content-Length): one buffer of exactly that size. Kestrel ends the body at the
            // declared length, so nothing more can follow it.
            if (length > MaxBodyBytes)
            {
                return null;
            }

            var exact = new byte[length];
            var filled = 0;
            int got;
            while (filled < exact.Length && (got = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += got;
            }

            return filled == exact.Length ? exact : exact[..filled];
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsSslCheck(byte[] body) => body.Length < 1024 && IsSslCheck(ParseForm(body));

    private static bool IsSslCheck(Dictionary<string, string> form) => form.TryGetValue("ssl_check", out var check) && check == "1";

    internal static Dictionary<string, string> ParseForm(byte[] body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body))
            .ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    private static JsonObject? ParseObject(string json)
    {
        try
        {
            // Duplicate names are refused here: JsonNode would otherwise throw on the first read of that object.
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (JsonException)
        {
            return null; // Reported as 400 by the caller; the content itself is never logged.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, PathString path, SlackVerification reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered {Path} with {Status}: {Problem}")]
    private static partial void LogMalformed(ILogger logger, PathString path, int status, string problem);
}
