using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Okta.Sandbox;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// The local page's sandbox panel: what the Okta sandbox "sent" (codes and activation links, to masked destinations)
/// and a simulated Okta Verify device that approves or denies pending push enrolments and push challenges (an
/// approver's step-up). Mapped only with the local
/// chat (Development, loopback callers) and only while the in-process sandbox is the Okta in use.
/// </summary>
internal static partial class SandboxPanelEndpoints
{
    /// <summary>The inbox shows the newest messages only; the sandbox keeps them all.</summary>
    public const int MaxInboxMessages = 50;

    /// <summary>Okta object ids are short runs of letters and digits.</summary>
    [GeneratedRegex("^[A-Za-z0-9]{1,64}$")]
    private static partial Regex OktaIdPattern();

    /// <summary>A push transaction id as the sandbox issues it (Okta's <c>v2mst.</c> form): letters and digits, one dot, then base64url.</summary>
    [GeneratedRegex("^[A-Za-z0-9]{1,16}\\.[A-Za-z0-9_-]{1,47}$")]
    private static partial Regex TransactionIdPattern();

    public static void Map(IEndpointRouteBuilder routes)
    {
        var panel = routes.MapGroup("/local/sandbox");
        panel.MapGet("/inbox", Inbox);
        panel.MapGet("/device", Device);
        panel.MapPost("/device/approve", (HttpRequest request, OktaSandbox sandbox, CancellationToken cancellationToken) =>
            DecideAsync(request, cancellationToken, Enrolment, (userId, factorId) => sandbox.ApprovePushActivation(userId, factorId), "ACTIVE"));
        panel.MapPost("/device/deny", (HttpRequest request, OktaSandbox sandbox, CancellationToken cancellationToken) =>
            DecideAsync(request, cancellationToken, Enrolment, (userId, factorId) => sandbox.RejectPushActivation(userId, factorId), "CANCELLED"));
        panel.MapPost("/device/challenge/approve", (HttpRequest request, OktaSandbox sandbox, CancellationToken cancellationToken) =>
            DecideAsync(request, cancellationToken, Challenge, (userId, transactionId) => sandbox.ApprovePushChallenge(userId, transactionId), "SUCCESS"));
        panel.MapPost("/device/challenge/deny", (HttpRequest request, OktaSandbox sandbox, CancellationToken cancellationToken) =>
            DecideAsync(request, cancellationToken, Challenge, (userId, transactionId) => sandbox.RejectPushChallenge(userId, transactionId), "REJECTED"));
    }

    /// <summary>What a decision names: an enrolment (user and factor) or a push challenge (user and transaction).</summary>
    private sealed record DecisionKind(string IdName, Regex IdPattern, string NotWaiting);

    private static readonly DecisionKind Enrolment = new("factorId", OktaIdPattern(),
        "No Okta Verify enrolment is waiting for that user and factor (approved, denied or expired already).");

    private static readonly DecisionKind Challenge = new("transactionId", TransactionIdPattern(),
        "No Okta Verify push is waiting for that user and transaction (approved, denied or expired already).");

    private static IResult Inbox(OktaSandbox sandbox, TimeProvider time) => NoStore(new JsonObject
    {
        ["messages"] = new JsonArray([.. sandbox.Inbox
            .Reverse()
            .Take(MaxInboxMessages)
            .Select(message => (JsonNode)new JsonObject
            {
                ["at"] = Timestamp(message.At),
                ["channel"] = message.Channel,
                ["destination"] = message.Destination,
                ["text"] = message.Text,
            })]),
        ["now"] = Timestamp(time.GetUtcNow()),
    });

    private static IResult Device(OktaSandbox sandbox, TimeProvider time) => NoStore(new JsonObject
    {
        ["pending"] = new JsonArray([.. sandbox.PendingPushActivations
            .OrderByDescending(pending => pending.ExpiresAt)
            .Select(pending => (JsonNode)new JsonObject
            {
                ["userId"] = pending.UserId,
                ["login"] = sandbox.LoginOf(pending.UserId),
                ["factorId"] = pending.FactorId,
                ["expiresAt"] = Timestamp(pending.ExpiresAt),
            })]),
        ["challenges"] = new JsonArray([.. sandbox.PendingPushChallenges
            .Select(challenge => (JsonNode)new JsonObject
            {
                ["userId"] = challenge.UserId,
                ["login"] = sandbox.LoginOf(challenge.UserId),
                ["transactionId"] = challenge.TransactionId,
                ["expiresAt"] = Timestamp(challenge.ExpiresAt),
            })]),
        ["now"] = Timestamp(time.GetUtcNow()),
    });

    /// <summary>
    /// Approve or deny one pending enrolment or push challenge. Only the page itself may ask: a JSON body (another site's form cannot
    /// send one without a CORS preflight, which this server never answers) and no foreign Origin.
    /// </summary>
    private static async Task<IResult> DecideAsync(
        HttpRequest request, CancellationToken cancellationToken, DecisionKind kind, Func<string, string, bool> decide, string outcome)
    {
        if (!request.HasJsonContentType())
        {
            return Results.Json(DirectLineError.Body("UnsupportedMediaType", "Send the decision as application/json."),
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (!IsSameOrigin(request))
        {
            return DirectLineError.Forbidden("The simulated device only takes decisions from the local page itself.");
        }

        var (body, readError) = await DirectLineRequestReader.ReadJsonAsync(request, cancellationToken);
        if (readError is not null)
        {
            return DirectLineError.BadArgument(readError);
        }

        if (Id(body, "userId", OktaIdPattern()) is not { } userId || Id(body, kind.IdName, kind.IdPattern) is not { } id)
        {
            return DirectLineError.BadArgument($"The body must be {{\"userId\": \"...\", \"{kind.IdName}\": \"...\"}} with Okta ids.");
        }

        return decide(userId, id)
            ? NoStore(new JsonObject { [kind.IdName] = id, ["result"] = outcome })
            : Results.Json(DirectLineError.Body("NotFound", kind.NotWaiting), statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>Browsers send Origin on every cross-origin POST and Sec-Fetch-Site where they support it; either must say "this page".</summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite != "same-origin")
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Id(JsonNode? body, string name, Regex pattern) =>
        body is JsonObject root && root[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && value.GetValue<string>() is var id && pattern.IsMatch(id)
            ? id
            : null;

    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Codes are short-lived secrets: no cache keeps a copy.</summary>
    private static IResult NoStore(JsonObject body) => new NoStoreJsonResult(body);

    private sealed class NoStoreJsonResult(JsonObject body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(body).ExecuteAsync(httpContext);
        }
    }
}
