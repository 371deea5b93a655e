using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams.Auth;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// POST /api/messages. The token is checked before the body is read; the activity-dependent checks (endorsed
/// channel, serviceUrl claim) run right after. Any failure answers 401/403 and nothing reaches the bot.
/// </summary>
internal static partial class TeamsActivityEndpoint
{
    public const string Route = "/api/messages";

    /// <summary>Activities are small; a card submission with every input is a few kilobytes.</summary>
    public const int MaximumBodyBytes = 256 * 1024;

    public static async Task HandleAsync(
        HttpContext context, BotTokenValidator validator, TeamsActivityDispatcher dispatcher, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TeamsActivityEndpoint).FullName!);
        var check = await validator.ValidateAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted);
        if (!check.Succeeded)
        {
            LogRefused(logger, 401, check.Failure!);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var activity = TeamsInboundActivity.Parse(body);
        if (activity is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (check.ProblemWith(activity.ChannelId, activity.ServiceUrl) is { } problem)
        {
            LogRefused(logger, 403, problem);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var reply = await dispatcher.DispatchAsync(activity);
        context.Response.StatusCode = reply.Status;
        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(reply.Body.ToJsonString(), context.RequestAborted);
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaximumBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaximumBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        // JsonNode checks neither UTF-8 nor duplicate names until a property is read, and then throws: check both here.
        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 4450, Level = LogLevel.Warning, Message = "Refused a request to /api/messages with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);
}
