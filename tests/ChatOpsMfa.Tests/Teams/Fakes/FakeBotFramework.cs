using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Teams.Fakes;

/// <summary>
/// Everything Microsoft runs for a bot, on loopback: the Bot Framework OpenID metadata and keys, an Entra tenant's
/// metadata and keys, the Entra token endpoint, and the Bot Connector. It records every call and enforces what the
/// real services enforce: the Connector wants the bearer token the token endpoint issued, activities need a type,
/// create-conversation needs bot, members and tenant.
/// </summary>
public sealed class FakeBotFramework : IAsyncDisposable
{
    public const string AppId = "5f1c6bde-3a59-4a0e-8a4e-3b6f2f0f7d11";
    public const string AppPassword = "test-secret-Zq8~notreal";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string AccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.connector-access-token.fake";

    private const string BodyKey = "recorded-body";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<string, JsonObject> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Status, string Code)> _faults = new(StringComparer.Ordinal);
    private int _nextId = 1000;
    private int _metadataFetches;
    private int _tenantMetadataFetches;
    private int _tokenRequests;
    private int _connectorCallCount;

    private FakeBotFramework(WebApplication app) => _app = app;

    /// <summary>Keys published by the Bot Framework metadata. Replace the list to rotate keys.</summary>
    public List<TestSigningKey> BotFrameworkKeys { get; } = [];

    /// <summary>Keys published by the tenant's Entra metadata (no endorsements).</summary>
    public List<TestSigningKey> TenantKeys { get; } = [];

    public Uri BaseUri { get; private set; } = null!;

    public string BaseUrl => BaseUri.AbsoluteUri.TrimEnd('/');

    public string MetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";

    public int MetadataFetches => Volatile.Read(ref _metadataFetches);

    public int TenantMetadataFetches => Volatile.Read(ref _tenantMetadataFetches);

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Milliseconds the token endpoint waits, to make concurrent callers overlap.</summary>
    public int TokenDelayMilliseconds { get; set; }

    public IReadOnlyList<RecordedCall> Calls => _calls.ToArray();

    /// <summary>Off for load runs, where keeping every call would measure memory growth instead of the bot.</summary>
    public bool Recording { get; set; } = true;

    public int ConnectorCallCount => Volatile.Read(ref _connectorCallCount);

    public IReadOnlyList<RecordedCall> ConnectorCalls => Calls.Where(c => c.IsConnector).ToList();

    public static async Task<FakeBotFramework> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotFramework(app);
        fake.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return fake;
    }

    /// <summary>Adds a Teams member the Connector can describe (GET .../members/{id}).</summary>
    public void AddMember(string memberId, string name, string aadObjectId, string email, string? userPrincipalName = null) =>
        _members[memberId] = new JsonObject
        {
            ["id"] = memberId,
            ["name"] = name,
            ["aadObjectId"] = aadObjectId,
            ["email"] = email,
            ["userPrincipalName"] = userPrincipalName ?? email,
            ["tenantId"] = TenantId,
            ["userRole"] = "user",
        };

    /// <summary>Makes sends to <paramref name="conversationId"/> fail the way the Connector fails them.</summary>
    public void FailSendsTo(string conversationId, int status, string code) => _faults[conversationId] = (status, code);

    public void ClearCalls()
    {
        while (_calls.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var key in BotFrameworkKeys.Concat(TenantKeys))
        {
            key.Dispose();
        }
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            context.Items[BodyKey] = body;
            if (context.Request.Path.StartsWithSegments("/v3"))
            {
                Interlocked.Increment(ref _connectorCallCount);
            }

            if (!Recording)
            {
                await next(context);
                return;
            }

            _calls.Enqueue(new RecordedCall(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, body));
            await next(context);
        });

        app.MapGet("/v1/.well-known/openidconfiguration", () =>
        {
            Interlocked.Increment(ref _metadataFetches);
            return Results.Json(new JsonObject
            {
                ["issuer"] = "https://api.botframework.com",
                ["authorization_endpoint"] = "https://invalid.botframework.com",
                ["jwks_uri"] = BaseUrl + "/v1/.well-known/keys",
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            });
        });
        app.MapGet("/v1/.well-known/keys", () => Results.Json(KeySet(BotFrameworkKeys)));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) =>
        {
            Interlocked.Increment(ref _tenantMetadataFetches);
            return Results.Json(new JsonObject
            {
                ["issuer"] = $"{BaseUrl}/{tenant}/v2.0",
                ["jwks_uri"] = $"{BaseUrl}/{tenant}/discovery/v2.0/keys",
            });
        });
        app.MapGet("/{tenant}/discovery/v2.0/keys", () => Results.Json(KeySet(TenantKeys)));
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueTokenAsync);

        app.MapPost("/v3/conversations", CreateConversation);
        app.MapPost("/v3/conversations/{conversationId}/activities", (HttpContext context, string conversationId) =>
            Send(context, conversationId));
        app.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext context, string conversationId, string activityId) =>
            Update(context, conversationId, activityId));
        app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpContext context, string conversationId, string memberId) =>
            !Authorised(context) ? Unauthorised()
            : _members.TryGetValue(memberId, out var member) && IsIn(conversationId, memberId) ? Results.Json(member)
            : Results.Json(Error("MemberNotFoundInConversation", "The member is not in this conversation."), statusCode: 404));
    }

    private async Task<IResult> IssueTokenAsync(HttpContext context, string tenant)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (TokenDelayMilliseconds > 0)
        {
            await Task.Delay(TokenDelayMilliseconds);
        }

        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_id"] != AppId || form["client_secret"] != AppPassword
            || form["scope"] != "https://api.botframework.com/.default")
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_codes"] = new JsonArray(7000215) }, statusCode: 401);
        }

        return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = AccessToken });
    }

    private IResult Send(HttpContext context, string conversationId)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        if (_faults.TryGetValue(conversationId, out var fault))
        {
            return Results.Json(Error(fault.Code, "The bot is not allowed to write to this conversation."), statusCode: fault.Status);
        }

        var activity = ReadActivity(context);
        return activity is null
            ? Results.Json(Error("BadArgument", "Activity is missing or has no type."), statusCode: 400)
            : Results.Json(new JsonObject { ["id"] = NextId() });
    }

    private IResult Update(HttpContext context, string conversationId, string activityId)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        var activity = ReadActivity(context);
        return activity is null || activity["id"]?.ToString() != activityId
            ? Results.Json(Error("BadArgument", "The activity id must match the path."), statusCode: 400)
            : Results.Json(new JsonObject { ["id"] = activityId });
    }

    private IResult CreateConversation(HttpContext context)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        var body = Body(context);
        if (body?["bot"]?["id"] is null || body["members"] is not JsonArray { Count: 1 } members
            || body["tenantId"] is null || body["channelData"]?["tenant"]?["id"] is null)
        {
            return Results.Json(Error("BadArgument", "Conversation parameters need bot, one member and the tenant."), statusCode: 400);
        }

        return Results.Json(new JsonObject { ["id"] = "a:1on1-" + members[0]!["id"] });
    }

    /// <summary>
    /// A 1:1 conversation (<c>a:…</c>) holds only its user, as in Teams; channels and group chats here hold every
    /// member of the tenant (the test team).
    /// </summary>
    private static bool IsIn(string conversationId, string memberId) =>
        !conversationId.StartsWith("a:", StringComparison.Ordinal)
        || conversationId.EndsWith(memberId, StringComparison.Ordinal)
        || conversationId.EndsWith("-" + memberId[3..], StringComparison.Ordinal);

    private static bool Authorised(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() == "Bearer " + AccessToken;

    private static IResult Unauthorised() =>
        Results.Json(Error("Unauthorized", "Authorization has been denied for this request."), statusCode: (int)HttpStatusCode.Unauthorized);

    private static JsonObject? ReadActivity(HttpContext context) =>
        Body(context) is { } activity && activity["type"] is JsonValue ? activity : null;

    private static JsonObject? Body(HttpContext context)
    {
        var text = context.Items[BodyKey] as string ?? "";
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject KeySet(IEnumerable<TestSigningKey> keys) =>
        new() { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.Jwk()).ToArray()) };

    private static JsonObject Error(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
