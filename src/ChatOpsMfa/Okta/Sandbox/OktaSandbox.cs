using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// A fake Okta org that speaks real HTTP on a loopback port: the handful of Management API operations the bot uses,
/// with Okta's response and error shapes, a small seeded directory, remembered state, a request log and failure
/// injection. Runs inside the host (local mode), from a command, or standalone in a test.
/// </summary>
public sealed class OktaSandbox : IAsyncDisposable
{
    private readonly OktaSandboxOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SandboxDirectory _directory;
    private readonly ConcurrentQueue<RecordedOktaRequest> _requests = new();
    private readonly Lock _faultGate = new();
    private readonly List<SandboxFault> _faults = [];
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly SandboxOAuth _oauth;
    private WebApplication? _app;

    /// <summary>The token endpoint's operation name (PrivateKey mode).</summary>
    public const string TokenOperation = "token";

    public OktaSandbox(IOptions<OktaSandboxOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _directory = new SandboxDirectory(timeProvider, () => BaseUrl ?? new Uri("http://127.0.0.1/"));
        _oauth = new SandboxOAuth(_options, timeProvider);
    }

    /// <summary>Creates and starts a sandbox on a free loopback port.</summary>
    public static async Task<OktaSandbox> StartNewAsync(OktaSandboxOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var sandbox = new OktaSandbox(Options.Create(options ?? new OktaSandboxOptions()), timeProvider ?? TimeProvider.System);
        await sandbox.StartAsync(cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    /// <summary>Where the sandbox listens, e.g. http://127.0.0.1:53412/; null until started.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>The SSWS token the sandbox accepts.</summary>
    public string Token => _options.Token;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedOktaRequest> Requests => _requests.ToArray();

    public void ClearRequests() => _requests.Clear();

    /// <summary>PrivateKey mode: how many access tokens <c>/oauth2/v1/token</c> has issued.</summary>
    public int AccessTokensIssued => _oauth.TokensIssued;

    /// <summary>PrivateKey mode: the token endpoint's DPoP nonce changes; a proof with the old one gets 400 use_dpop_nonce.</summary>
    public void RotateTokenEndpointNonce() => _oauth.RotateTokenNonce();

    /// <summary>PrivateKey mode: the API starts demanding a new DPoP nonce (401 <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c>).</summary>
    public void DemandApiNonce() => _oauth.DemandApiNonce();

    /// <summary>PrivateKey mode: every access token issued so far expires now.</summary>
    public void ExpireAccessTokens() => _oauth.ExpireTokens();

    /// <summary>Adds a user (login = email, ACTIVE unless told) with no factors, for tests that need more people; returns the id.</summary>
    public string AddUser(string login, string firstName, string lastName, string status = "ACTIVE") =>
        _directory.AddUser(login, firstName, lastName, status);

    /// <summary>The user's current factors (id, type, provider, status), or null for an unknown user.</summary>
    public IReadOnlyList<OktaUserFactor>? FactorsOf(string idOrLogin) => _directory.FactorsOf(idOrLogin);

    /// <summary>The login (e-mail) of a sandbox user by id, for the local page's simulated device; null when unknown.</summary>
    public string? LoginOf(string userId) =>
        _directory.GetUser(userId) is { StatusCode: 200, Body: { } user } ? user["profile"]?["login"]?.GetValue<string>() : null;

    /// <summary>What the sandbox "sent" by SMS, voice call and email (codes, Okta Verify activation links), newest last.</summary>
    public IReadOnlyList<SandboxInboxMessage> Inbox => _directory.Inbox();

    /// <summary>The simulated Okta Verify device: enrolments waiting for a scan (not yet approved, cancelled or expired).</summary>
    public IReadOnlyList<PendingPushActivation> PendingPushActivations => _directory.PendingPushActivations();

    /// <summary>The device scans the QR code and completes enrolment; the factor becomes ACTIVE. False when none is waiting.</summary>
    public bool ApprovePushActivation(string userId, string factorId) => _directory.ApprovePushActivation(userId, factorId);

    /// <summary>
    /// The device backs out of the enrolment. Okta's activation results are CANCELLED, ERROR, TIMEOUT and WAITING
    /// (UserFactorActivatePushResult), so the poll answers CANCELLED. False when none is waiting.
    /// </summary>
    public bool RejectPushActivation(string userId, string factorId) => _directory.RejectPushActivation(userId, factorId);

    /// <summary>The simulated Okta Verify device: push challenges (verifyFactor) waiting for an answer, soonest to expire first.</summary>
    public IReadOnlyList<PendingPushChallenge> PendingPushChallenges => _directory.PendingPushChallenges();

    /// <summary>The device approves the push: the transaction answers SUCCESS. False when no such challenge waits (unknown, decided or expired).</summary>
    public bool ApprovePushChallenge(string userId, string transactionId) => _directory.DecidePushChallenge(userId, transactionId, approve: true);

    /// <summary>The device rejects the push: the transaction answers REJECTED. False when no such challenge waits (unknown, decided or expired).</summary>
    public bool RejectPushChallenge(string userId, string transactionId) => _directory.DecidePushChallenge(userId, transactionId, approve: false);

    /// <summary>Test hook: puts an event into the System Log, as Okta would have recorded it.</summary>
    public void AddLogEvent(SandboxLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _directory.AddLogEvent(entry);
    }

    /// <summary>Test hook: sets a custom profile attribute; it then appears in getUser's and listUsers' profile and can be searched.</summary>
    public void SetProfileAttribute(string userId, string name, string value) => _directory.SetProfileAttribute(userId, name, value);

    /// <summary>Every revokeUserSessions the sandbox answered 204 for this user (id or login), oldest first.</summary>
    public IReadOnlyList<SessionRevocation> SessionRevocations(string userId) => _directory.SessionRevocations(userId);

    /// <summary>The next <paramref name="count"/> matching requests get Okta's 429 E0000047, resetting after <paramref name="resetAfter"/>.</summary>
    public void RateLimitNext(int count = 1, TimeSpan? resetAfter = null, string? operationId = null)
    {
        for (var i = 0; i < count; i++)
        {
            AddFault(new SandboxFault(operationId, 429, "E0000047", "API call exceeded rate limit due to too many requests.",
                TimeSpan.Zero, resetAfter ?? TimeSpan.FromSeconds(2), Drop: false));
        }
    }

    /// <summary>The next matching request is answered with this status and Okta error body, without being processed.</summary>
    public void FailNext(int statusCode, string errorCode = "E0000009", string errorSummary = "Internal Server Error", string? operationId = null) =>
        AddFault(new SandboxFault(operationId, statusCode, errorCode, errorSummary, TimeSpan.Zero, TimeSpan.Zero, Drop: false));

    /// <summary>
    /// The next matching request is processed (state changes happen) but its answer is replaced by a 5xx, or the
    /// connection is dropped: the "did the reset happen?" case a client must not blindly retry.
    /// </summary>
    public void FailAfterProcessingNext(int statusCode = 502, string? operationId = null, bool dropConnection = false) =>
        AddFault(new SandboxFault(operationId, -statusCode, "E0000009", "Internal Server Error", TimeSpan.Zero, TimeSpan.Zero, dropConnection));

    /// <summary>The next matching request waits this long (on the sandbox's TimeProvider) before being processed.</summary>
    public void DelayNext(TimeSpan delay, string? operationId = null) =>
        AddFault(new SandboxFault(operationId, 0, null, null, delay, TimeSpan.Zero, Drop: false));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_app is not null)
            {
                return;
            }

            // The sandbox resets anyone's factors without real checks: it must never be reachable from elsewhere.
            if (!IPAddress.TryParse(_options.BindAddress, out var address) || !IPAddress.IsLoopback(address))
            {
                throw new InvalidOperationException(
                    $"The Okta sandbox only binds to a loopback address; '{_options.BindAddress}' is not one (Okta:Sandbox:BindAddress).");
            }

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Listen(address, _options.Port);
            });
            builder.Services.AddRoutingCore();
            var app = builder.Build();
            app.UseRouting();
            app.Use(next => context => HandleAsync(context, next));
            MapOperations(app);

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            BaseUrl = new Uri(bound.TrimEnd('/') + "/");
            _app = app;
        }
        finally
        {
            _startGate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _startGate.Dispose();
    }

    private void MapOperations(WebApplication app)
    {
        if (_options.AuthorizationMode == OktaAuthorizationMode.PrivateKey)
        {
            // The org authorization server's token endpoint (client credentials for the API service app).
            app.MapPost("/oauth2/v1/token", async ctx =>
            {
                var form = ctx.Request.HasFormContentType ? await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false) : null;
                await Reply(ctx, _oauth.Token(ctx.Request, form, new Uri(BaseUrl!, "oauth2/v1/token"))).ConfigureAwait(false);
            }).WithName(TokenOperation);
        }

        app.MapGet("/api/v1/users", ctx => Reply(ctx, _directory.ListUsers(Query(ctx)))).WithName("listUsers");
        app.MapGet("/api/v1/users/{id}", ctx => Reply(ctx, _directory.GetUser(Route(ctx, "id")))).WithName("getUser");
        app.MapPost("/api/v1/users/{id}/lifecycle/reset_factors", ctx => Reply(ctx, _directory.ResetFactors(Route(ctx, "id"), Caller(ctx)))).WithName("resetFactors");
        app.MapGet("/api/v1/users/{userId}/factors", ctx => Reply(ctx, _directory.ListFactors(Route(ctx, "userId")))).WithName("listFactors");
        app.MapPost("/api/v1/users/{userId}/factors", async ctx =>
        {
            var activate = string.Equals(ctx.Request.Query["activate"], "true", StringComparison.OrdinalIgnoreCase);
            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            var lifetime = CodeLifetime(ctx.Request.Query["tokenLifetimeSeconds"]);
            await Reply(ctx, !body.Valid ? MalformedBody()
                : lifetime is null ? SandboxReply.EnrollValidation("tokenLifetimeSeconds: must be a whole number of seconds from 1 to 86400.")
                : _directory.EnrollFactor(Route(ctx, "userId"), body.Node, activate, lifetime.Value)).ConfigureAwait(false);
        }).WithName("enrollFactor");
        app.MapGet("/api/v1/users/{userId}/factors/{factorId}", ctx => Reply(ctx, _directory.GetFactor(Route(ctx, "userId"), Route(ctx, "factorId")))).WithName("getFactor");
        app.MapDelete("/api/v1/users/{userId}/factors/{factorId}", ctx => Reply(ctx, _directory.UnenrollFactor(Route(ctx, "userId"), Route(ctx, "factorId"), Caller(ctx)))).WithName("unenrollFactor");
        app.MapPost("/api/v1/users/{userId}/factors/{factorId}/lifecycle/activate", async ctx =>
        {
            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            await Reply(ctx, body.Valid ? _directory.ActivateFactor(Route(ctx, "userId"), Route(ctx, "factorId"), body.Node, Caller(ctx)) : MalformedBody()).ConfigureAwait(false);
        }).WithName("activateFactor");
        app.MapPost("/api/v1/users/{userId}/factors/{factorId}/verify", async ctx =>
        {
            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            await Reply(ctx, body.Valid ? _directory.VerifyFactor(Route(ctx, "userId"), Route(ctx, "factorId"), body.Node, Caller(ctx)) : MalformedBody()).ConfigureAwait(false);
        }).WithName("verifyFactor");
        app.MapGet("/api/v1/users/{userId}/factors/{factorId}/transactions/{transactionId}",
            ctx => Reply(ctx, _directory.GetFactorTransaction(Route(ctx, "userId"), Route(ctx, "factorId"), Route(ctx, "transactionId")))).WithName("getFactorTransactionStatus");
        app.MapGet("/api/v1/logs", ctx => Reply(ctx, _directory.ListLogEvents(Query(ctx)))).WithName("listLogEvents");
        // The push factor's links from Okta's example (not operations of the description): poll, and send the activation link.
        app.MapPost("/api/v1/users/{userId}/factors/{factorId}/lifecycle/activate/poll",
            ctx => Reply(ctx, _directory.ActivateFactor(Route(ctx, "userId"), Route(ctx, "factorId"), null))).WithName("pollFactorActivation");
        foreach (var channel in new[] { "email", "sms" })
        {
            app.MapPost($"/api/v1/users/{{userId}}/factors/{{factorId}}/lifecycle/activate/{channel}", async ctx =>
            {
                var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
                await Reply(ctx, body.Valid
                    ? _directory.SendActivationLink(Route(ctx, "userId"), Route(ctx, "factorId"), channel, body.Node)
                    : MalformedBody()).ConfigureAwait(false);
            }).WithName("sendFactorActivationLink-" + channel);
        }

        app.MapGet("/api/v1/users/{userId}/factors/{factorId}/qr/{token}", async ctx =>
        {
            if (_directory.QrCode(Route(ctx, "userId"), Route(ctx, "factorId"), Route(ctx, "token")) is not { } png)
            {
                await Reply(ctx, SandboxReply.Error(404, "E0000007", $"Not found: Resource not found: {Route(ctx, "factorId")} (UserFactor)")).ConfigureAwait(false);
                return;
            }

            ctx.Response.ContentType = "image/png";
            ctx.Response.Headers.CacheControl = "no-store";
            await ctx.Response.Body.WriteAsync(png, ctx.RequestAborted).ConfigureAwait(false);
        }).WithName("getFactorQrCode");
        app.MapPost("/api/v1/users/{userId}/factors/{factorId}/resend", async ctx =>
        {
            var body = await ReadJsonAsync(ctx).ConfigureAwait(false);
            await Reply(ctx, body.Valid ? _directory.ResendFactor(Route(ctx, "userId"), Route(ctx, "factorId"), body.Node) : MalformedBody()).ConfigureAwait(false);
        }).WithName("resendEnrollFactor");
        app.MapGet("/api/v1/users/{userId}/roles", ctx => Reply(ctx, _directory.ListRoles(Route(ctx, "userId")))).WithName("listAssignedRolesForUser");
        app.MapGet("/api/v1/users/{id}/groups", ctx => Reply(ctx, _directory.ListGroups(Route(ctx, "id")))).WithName("listUserGroups");
        app.MapDelete("/api/v1/users/{userId}/sessions", ctx =>
        {
            // Both are booleans in Okta's description (oauthTokens default false, forgetDevices default true).
            var oauthTokens = Boolean(ctx.Request.Query["oauthTokens"], false);
            var forgetDevices = Boolean(ctx.Request.Query["forgetDevices"], true);
            return Reply(ctx, oauthTokens is null || forgetDevices is null
                ? SandboxReply.Error(400, "E0000037", "Type mismatch exception. oauthTokens and forgetDevices must be true or false.")
                : _directory.RevokeSessions(Route(ctx, "userId"), oauthTokens.Value, Caller(ctx)));
        }).WithName("revokeUserSessions");
        app.MapFallback(ctx => Reply(ctx, SandboxReply.Error(404, "E0000007", $"Not found: Resource not found: {ctx.Request.Path} (Resource)")));
    }

    /// <summary>Records the request, checks the SSWS token, then applies any injected fault before the operation runs.</summary>
    private async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        context.Request.Body.Position = 0;

        var operationId = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        _requests.Enqueue(new RecordedOktaRequest(
            context.Request.Method,
            rawTarget,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            operationId));

        SetCommonHeaders(context);

        if (_options.AuthorizationMode == OktaAuthorizationMode.PrivateKey)
        {
            if (operationId == TokenOperation)
            {
                // The token endpoint authenticates the client itself (assertion and proof); no faults are injected there.
                await next(context).ConfigureAwait(false);
                return;
            }

            if (_oauth.AuthorizeApiCall(context.Request, new Uri(BaseUrl!, rawTarget.Split('?', 2)[0]), operationId) is { } refusal)
            {
                await Reply(context, refusal).ConfigureAwait(false);
                return;
            }
        }
        else if (!IsAuthorised(context.Request.Headers.Authorization.ToString()))
        {
            await Reply(context, SandboxReply.Error(401, "E0000011", "Invalid token provided")).ConfigureAwait(false);
            return;
        }

        var fault = TakeFault(operationId);
        if (fault is not null && fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, _timeProvider, context.RequestAborted).ConfigureAwait(false);
        }

        switch (fault)
        {
            case { StatusCode: 429 }:
                var resetAt = _timeProvider.GetUtcNow() + fault.RateLimitResetAfter;
                context.Response.Headers["X-Rate-Limit-Remaining"] = "0";
                context.Response.Headers["X-Rate-Limit-Reset"] = resetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                await Reply(context, SandboxReply.Error(429, fault.ErrorCode!, fault.ErrorSummary!)).ConfigureAwait(false);
                return;
            case { StatusCode: > 0 }:
                await Reply(context, SandboxReply.Error(fault.StatusCode, fault.ErrorCode!, fault.ErrorSummary!)).ConfigureAwait(false);
                return;
            case { StatusCode: < 0 }:
                // Process for real, then lose the answer.
                var original = context.Features.Get<IHttpResponseBodyFeature>()!;
                context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
                await next(context).ConfigureAwait(false);
                context.Features.Set(original);
                if (fault.Drop)
                {
                    context.Abort();
                    return;
                }

                context.Response.Clear();
                SetCommonHeaders(context);
                await Reply(context, SandboxReply.Error(-fault.StatusCode, fault.ErrorCode!, fault.ErrorSummary!)).ConfigureAwait(false);
                return;
            default:
                await next(context).ConfigureAwait(false);
                return;
        }
    }

    private void SetCommonHeaders(HttpContext context)
    {
        var now = _timeProvider.GetUtcNow();
        context.Response.Headers["Date"] = now.ToString("r", CultureInfo.InvariantCulture);
        context.Response.Headers["X-Okta-Request-Id"] = SandboxFactorFactory.NewId("aB");
        context.Response.Headers["X-Rate-Limit-Limit"] = "600";
        context.Response.Headers["X-Rate-Limit-Remaining"] = "599";
        context.Response.Headers["X-Rate-Limit-Reset"] = (now.ToUnixTimeSeconds() + 60).ToString(CultureInfo.InvariantCulture);
    }

    private bool IsAuthorised(string authorization)
    {
        const string scheme = "SSWS ";
        if (!authorization.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()),
            Encoding.UTF8.GetBytes(_options.Token));
    }

    private void AddFault(SandboxFault fault)
    {
        lock (_faultGate)
        {
            _faults.Add(fault);
        }
    }

    private SandboxFault? TakeFault(string? operationId)
    {
        lock (_faultGate)
        {
            var fault = _faults.FirstOrDefault(f => f.AppliesTo(operationId));
            if (fault is not null)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    private static string Route(HttpContext context, string name) => context.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>The query's parameters, first value of each, in order.</summary>
    private static KeyValuePair<string, string>[] Query(HttpContext context) =>
        [.. context.Request.Query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()))];

    private static SandboxCaller Caller(HttpContext context) => new(
        context.Connection.RemoteIpAddress?.ToString(),
        context.Request.Headers.UserAgent.ToString() is { Length: > 0 } userAgent ? userAgent : null,
        context.Request.Path.Value);

    /// <summary>A boolean query value: absent means the default, "true"/"false" their value, anything else null (refused).</summary>
    private static bool? Boolean(Microsoft.Extensions.Primitives.StringValues values, bool fallback) => values.Count switch
    {
        0 => fallback,
        1 when values[0] == "true" => true,
        1 when values[0] == "false" => false,
        _ => null,
    };

    /// <summary>enrollFactor's tokenLifetimeSeconds (1–86400, default 300); null when Okta would refuse the value.</summary>
    private static TimeSpan? CodeLifetime(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return SandboxDirectory.DefaultCodeLifetime;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static SandboxReply MalformedBody() => SandboxReply.Error(400, "E0000003", "The request body was not well-formed.");

    private static async Task<(bool Valid, JsonNode? Node)> ReadJsonAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (true, null);
        }

        try
        {
            return (true, JsonNode.Parse(text));
        }
        catch (System.Text.Json.JsonException)
        {
            return (false, null);
        }
    }

    private static async Task Reply(HttpContext context, SandboxReply reply)
    {
        context.Response.StatusCode = reply.StatusCode;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (reply.Body is null)
        {
            // Okta's resetFactors: 200 with an empty body.
            context.Response.ContentLength = 0;
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
