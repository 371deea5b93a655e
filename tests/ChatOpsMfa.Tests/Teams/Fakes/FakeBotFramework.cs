using System.Collections.Concurrent;
using System.Net;
using System.Text;
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
/// metadata and keys, the Entra token endpoint, and the Bot Connector. It records every call (with the Host it was
/// addressed to) and refuses what the real services refuse, by their documented rules: the Connector wants the
/// bearer token the token endpoint issued (a revoked one gets 401); activities (sent or updated) need a type and at
/// most 28 KB, and an image inlined in a card (a data URI) must be one Teams shows (<see cref="CardImageProblem"/>); a
/// 1:1 conversation is created only with bot, one member by <c>29:</c> id and the tenant; an update or a delete names
/// an activity the bot posted in that conversation and has not deleted; a team's roster comes in pages of at most 500 (<c>pagedmembers</c>); a single-tenant
/// app asking the <c>botframework.com</c> tenant for a token gets AADSTS700016. Faults are injected in Teams' own
/// error shapes (<c>{"error":{code,message}}</c> and <c>{"errorCode":209,"message":"{\"subCode\":...}"}</c>).
/// </summary>
public sealed class FakeBotFramework : IAsyncDisposable
{
    public const string AppId = "5f1c6bde-3a59-4a0e-8a4e-3b6f2f0f7d11";
    public const string AppPassword = "test-secret-Zq8~notreal";
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string AccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.connector-access-token.fake";

    /// <summary>
    /// Teams refuses a bot message over its size limit with 413 MessageSizeTooBig ("Format your bot messages",
    /// learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages). The figure has been 28 KB,
    /// then 40 KB, and is now 100 KB (80 KB advised) not counting base64 images; the fake keeps the strictest, 28 KB of
    /// the whole body with any inlined image, so a card that passes here passes under every published limit.
    /// </summary>
    public const int MaximumActivityBytes = 28 * 1024;

    /// <summary>
    /// Teams shows an inline card image only as .png, .jpg or .gif, at most 1024 × 1024 pixels and under 1 MB, and no
    /// animated GIF ("Format cards in Microsoft Teams", learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
    /// </summary>
    public const int MaximumImagePixels = 1024;

    public const int MaximumImageBytes = 1024 * 1024;

    private const string BodyKey = "recorded-body";
    private const string CallKey = "recorded-call";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<string, JsonObject> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Status, string Code)> _faults = new(StringComparer.Ordinal);
    private int _nextId = 1000;
    private int _metadataFetches;
    private int _tenantMetadataFetches;
    private int _tokenRequests;
    private int _connectorCallCount;
    private int _tokenGeneration;
    private readonly ConcurrentQueue<Fault> _nextFaults = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _posted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecordedCall> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _deleted = new(StringComparer.Ordinal);
    private volatile TaskCompletionSource? _connectorHold;
    private volatile TaskCompletionSource? _metadataHold;

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

    /// <summary>The access token the token endpoint hands out now (it changes when <see cref="RevokeToken"/> is called).</summary>
    public string CurrentAccessToken => Volatile.Read(ref _tokenGeneration) == 0 ? AccessToken : AccessToken + "." + _tokenGeneration;

    /// <summary>The app is registered single-tenant: the <c>botframework.com</c> token endpoint refuses it (AADSTS700016).</summary>
    public bool SingleTenantApp { get; set; }

    /// <summary>The metadata document answers 503, as during an outage.</summary>
    public bool MetadataDown { get; set; }

    /// <summary>Connector calls (not the token endpoint) that are waiting in <see cref="HoldConnector"/>.</summary>
    public int HeldConnectorCalls => Volatile.Read(ref _held);

    /// <summary>Connector calls let go (answered) since the last <see cref="HoldConnector"/>: by its release or its 10 s.</summary>
    public int ConnectorCallsLetGo => Volatile.Read(ref _letGo);

    private int _held;
    private int _letGo;

    public IReadOnlyList<RecordedCall> ConnectorCalls => Calls.Where(c => c.IsConnector).ToList();

    /// <summary>
    /// The activity with this id as Teams now holds it: the send that created it or the last update it accepted;
    /// null when it was deleted, or never sent while recording.
    /// </summary>
    public RecordedCall? Current(string activityId) => _current.TryGetValue(activityId, out var call) ? call : null;

    /// <summary>Whether the bot deleted the activity with this id (and Teams accepted it).</summary>
    public bool WasDeleted(string activityId) => _deleted.ContainsKey(activityId);

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

    /// <summary>The next <paramref name="count"/> Connector calls fail with this status (and Retry-After, for 429).</summary>
    public void FailNextConnectorCalls(int count, int status, string code, string? retryAfter = null, bool teamsShape = false)
    {
        for (var i = 0; i < count; i++)
        {
            _nextFaults.Enqueue(new Fault(status, code, retryAfter, teamsShape));
        }
    }

    /// <summary>Tokens issued so far stop working (401), as when the secret is rotated; the next token is a new one.</summary>
    public void RevokeToken() => Interlocked.Increment(ref _tokenGeneration);

    /// <summary>
    /// Connector calls wait (each at most 10 s, a slow Connector) until the returned handle is disposed: the test can
    /// see what the bot did while its Connector calls were still in flight.
    /// </summary>
    public IDisposable HoldConnector()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _letGo, 0);
        _connectorHold = hold;
        return new Release(() =>
        {
            _connectorHold = null;
            hold.TrySetResult();
        });
    }

    /// <summary>The OpenID metadata document is not answered until the returned handle is disposed.</summary>
    public IDisposable HoldMetadata()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _metadataHold = hold;
        return new Release(() =>
        {
            _metadataHold = null;
            hold.TrySetResult();
        });
    }

    /// <summary>Forgets recorded calls and counters (what the bot did at start, before a test's own steps).</summary>
    public void ResetRecording()
    {
        ClearCalls();
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _connectorCallCount, 0);
        Interlocked.Exchange(ref _metadataFetches, 0);
        Interlocked.Exchange(ref _tenantMetadataFetches, 0);
    }

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
            var isConnector = context.Request.Path.StartsWithSegments("/v3");
            if (isConnector)
            {
                Interlocked.Increment(ref _connectorCallCount);
            }

            if (Recording)
            {
                var call = new RecordedCall(context.Request.Method, context.Request.Path.Value ?? "",
                    context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, body,
                    context.Request.Host.Host, context.Request.QueryString.Value ?? "");
                context.Items[CallKey] = call;
                _calls.Enqueue(call);
            }

            if (isConnector && _connectorHold is { } hold)
            {
                Interlocked.Increment(ref _held);
                try
                {
                    await hold.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                finally
                {
                    Interlocked.Decrement(ref _held);
                    Interlocked.Increment(ref _letGo);
                }
            }

            if (isConnector && Authorised(context) && _nextFaults.TryDequeue(out var fault))
            {
                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = fault.RetryAfter;
                }

                await Results.Json(fault.TeamsShape ? TeamsError(fault.Code) : Error(fault.Code, "Injected fault."), statusCode: fault.Status)
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/v1/.well-known/openidconfiguration", async () =>
        {
            Interlocked.Increment(ref _metadataFetches);
            if (_metadataHold is { } hold)
            {
                await hold.Task;
            }

            if (MetadataDown)
            {
                return Results.StatusCode(503);
            }

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
        app.MapDelete("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext context, string conversationId, string activityId) =>
            Delete(context, conversationId, activityId));
        app.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpContext context, string conversationId, string memberId) =>
            !Authorised(context) ? Unauthorised()
            : _members.TryGetValue(memberId, out var member) && IsIn(conversationId, memberId) ? Results.Json(member)
            : Results.Json(Error("MemberNotFoundInConversation", "The member is not in this conversation."), statusCode: 404));
        app.MapGet("/v3/conversations/{conversationId}/pagedmembers", PagedMembers);
    }

    /// <summary>
    /// A team's (or channel's) roster one page at a time: <c>pageSize</c> at most 500, <c>continuationToken</c>
    /// opaque, absent on the last page. A 1:1 conversation's roster is its user alone.
    /// </summary>
    private IResult PagedMembers(HttpContext context, string conversationId)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        var query = context.Request.Query;
        var pageSize = int.TryParse(query["pageSize"], out var size) ? Math.Clamp(size, 1, 500) : 200;
        var start = 0;
        if (query["continuationToken"].ToString() is { Length: > 0 } token
            && (!int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(token)).Replace("page-", "", StringComparison.Ordinal), out start) || start < 0))
        {
            return Results.Json(Error("BadArgument", "Invalid continuation token."), statusCode: 400);
        }

        var roster = _members.Where(m => IsIn(conversationId, m.Key)).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value).ToList();
        var page = roster.Skip(start).Take(pageSize).Select(m => (JsonNode)m.DeepClone()).ToArray();
        var answer = new JsonObject { ["members"] = new JsonArray(page) };
        if (start + pageSize < roster.Count)
        {
            answer["continuationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("page-" + (start + pageSize)));
        }

        return Results.Json(answer);
    }

    private async Task<IResult> IssueTokenAsync(HttpContext context, string tenant)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (TokenDelayMilliseconds > 0)
        {
            await Task.Delay(TokenDelayMilliseconds);
        }

        var form = await context.Request.ReadFormAsync();
        if (SingleTenantApp && tenant == "botframework.com")
        {
            return Results.Json(new JsonObject
            {
                ["error"] = "unauthorized_client",
                ["error_description"] = "AADSTS700016: Application not found in the directory 'Bot Framework'.",
                ["error_codes"] = new JsonArray(700016),
            }, statusCode: 400);
        }

        if (form["grant_type"] != "client_credentials" || form["client_id"] != AppId || form["client_secret"] != AppPassword
            || form["scope"] != "https://api.botframework.com/.default")
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_codes"] = new JsonArray(7000215) }, statusCode: 401);
        }

        return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["ext_expires_in"] = 3599, ["access_token"] = CurrentAccessToken });
    }

    private IResult Send(HttpContext context, string conversationId)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        if (_faults.TryGetValue(conversationId, out var fault))
        {
            return Results.Json(fault.Code == "MessageWritesBlocked" ? TeamsError(fault.Code)
                : Error(fault.Code, "The bot is not allowed to write to this conversation."), statusCode: fault.Status);
        }

        var activity = ReadActivity(context);
        if (activity is null)
        {
            return Results.Json(Error("BadArgument", "Activity is missing or has no type."), statusCode: 400);
        }

        if (Refusal(context, activity) is { } refused)
        {
            return refused;
        }

        var id = NextId();
        _posted.GetOrAdd(Root(conversationId), _ => new(StringComparer.Ordinal))[id] = true;
        Remember(context, id);
        return Results.Json(new JsonObject { ["id"] = id });
    }

    private IResult Update(HttpContext context, string conversationId, string activityId)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        var activity = ReadActivity(context);
        if (activity is null || activity["id"]?.ToString() != activityId)
        {
            return Results.Json(Error("BadArgument", "The activity id must match the path."), statusCode: 400);
        }

        if (!IsPosted(conversationId, activityId))
        {
            return ActivityNotFound();
        }

        if (Refusal(context, activity) is { } refused)
        {
            return refused;
        }

        Remember(context, activityId);
        return Results.Json(new JsonObject { ["id"] = activityId });
    }

    private void Remember(HttpContext context, string activityId)
    {
        if (context.Items[CallKey] is RecordedCall call)
        {
            _current[activityId] = call;
        }
    }

    /// <summary>Deletes an activity the bot posted: afterwards neither an update nor another delete finds it.</summary>
    private IResult Delete(HttpContext context, string conversationId, string activityId)
    {
        if (!Authorised(context))
        {
            return Unauthorised();
        }

        if (!_posted.TryGetValue(Root(conversationId), out var posted) || !posted.TryRemove(activityId, out _))
        {
            return ActivityNotFound();
        }

        _current.TryRemove(activityId, out _);
        _deleted[activityId] = true;
        return Results.Ok();
    }

    private bool IsPosted(string conversationId, string activityId) =>
        _posted.TryGetValue(Root(conversationId), out var posted) && posted.ContainsKey(activityId);

    private static IResult ActivityNotFound() =>
        Results.Json(Error("ActivityNotFoundInConversation", "The activity was not found in this conversation."), statusCode: 404);

    /// <summary>What Teams refuses in a message the bot sends or updates: too big, or a card image it cannot show.</summary>
    private static IResult? Refusal(HttpContext context, JsonObject activity)
    {
        if (Encoding.UTF8.GetByteCount(context.Items[BodyKey] as string ?? "") > MaximumActivityBytes)
        {
            return Results.Json(Error("MessageSizeTooBig", "The message is too large."), statusCode: 413);
        }

        if (MentionProblem(activity) is { } mention)
        {
            return Results.Json(Error("BadArgument", mention), statusCode: 400);
        }

        foreach (var attachment in (activity["attachments"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (CardImageProblem(attachment["content"]) is { } problem)
            {
                return Results.Json(Error("BadArgument", problem), statusCode: 400);
            }
        }

        return null;
    }

    /// <summary>
    /// Why Teams would not show an image inlined in the card (a <c>data:</c> URI in an Image's <c>url</c>), or null.
    /// Teams leaves such an image out rather than refusing the message; the fake refuses, so a test sees it.
    /// </summary>
    public static string? CardImageProblem(JsonNode? card)
    {
        foreach (var url in ImageUrls(card))
        {
            if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma < 0 ? "" : url[5..comma];
            if (header is not ("image/png;base64" or "image/jpeg;base64" or "image/gif;base64"))
            {
                return $"Teams shows inline images as base64 png, jpg or gif only, not '{header}'.";
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(url[(comma + 1)..]);
            }
            catch (FormatException)
            {
                return "The inline image is not valid base64.";
            }

            if (bytes.Length >= MaximumImageBytes)
            {
                return "Teams shows inline images under 1 MB only.";
            }

            if (header == "image/png;base64")
            {
                // PNG: the 8-byte signature, then IHDR with width and height as big-endian 32-bit integers.
                ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
                if (bytes.Length < 24 || !bytes.AsSpan(0, 8).SequenceEqual(signature) || Encoding.ASCII.GetString(bytes, 12, 4) != "IHDR")
                {
                    return "The inline image says it is a PNG but is not one.";
                }

                var width = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
                var height = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
                if (width > MaximumImagePixels || height > MaximumImagePixels)
                {
                    return $"Teams shows inline images up to {MaximumImagePixels} x {MaximumImagePixels} pixels, not {width} x {height}.";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Why a mention entity would not notify anyone, or null. "Add mentions to your messages" (Teams docs, channel and
    /// group chat conversations with a bot): each <c>mention</c> entity has <c>mentioned</c> with the person's
    /// <c>id</c> and <c>name</c>, and its <c>text</c> (<c>&lt;at&gt;name&lt;/at&gt;</c>) must match a portion of the
    /// message's text. Teams silently drops a mention that breaks that; the fake refuses it, so a test sees it.
    /// </summary>
    public static string? MentionProblem(JsonObject activity)
    {
        var text = activity["text"] is JsonValue value && value.TryGetValue<string>(out var t) ? t : "";
        foreach (var entity in (activity["entities"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (entity["type"]?.ToString() != "mention")
            {
                continue;
            }

            if (entity["text"] is not JsonValue tagNode || !tagNode.TryGetValue<string>(out var tag)
                || !tag.StartsWith("<at>", StringComparison.Ordinal) || !tag.EndsWith("</at>", StringComparison.Ordinal))
            {
                return "A mention entity needs text of the form <at>name</at>.";
            }

            if (!text.Contains(tag, StringComparison.Ordinal))
            {
                return $"The mention text '{tag}' does not appear in the message text.";
            }

            if (entity["mentioned"] is not JsonObject mentioned
                || mentioned["id"] is not JsonValue id || !id.TryGetValue<string>(out var idText) || idText.Length == 0
                || mentioned["name"] is not JsonValue name || !name.TryGetValue<string>(out var nameText) || nameText.Length == 0)
            {
                return "A mention entity needs mentioned.id and mentioned.name.";
            }
        }

        return null;
    }

    private static IEnumerable<string> ImageUrls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "Image"
                    && obj["url"] is JsonValue url && url.TryGetValue<string>(out var text))
                {
                    yield return text;
                }

                foreach (var (_, child) in obj)
                {
                    foreach (var found in ImageUrls(child))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in ImageUrls(child))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    private static string Root(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.Ordinal);
        return cut < 0 ? conversationId : conversationId[..cut];
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

        // Teams opens a 1:1 chat only with a member's 29: id; an email or an Entra object id is refused.
        if (members[0]?["id"]?.GetValueKind() != System.Text.Json.JsonValueKind.String
            || !members[0]!["id"]!.GetValue<string>().StartsWith("29:", StringComparison.Ordinal))
        {
            return Results.Json(Error("BadArgument", "Invalid member id."), statusCode: 400);
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

    private bool Authorised(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() == "Bearer " + CurrentAccessToken;

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

    /// <summary>Teams' own shape, as for a user who blocked the bot: errorCode 209 and the sub-code inside a JSON string.</summary>
    private static JsonObject TeamsError(string subCode) => new()
    {
        ["errorCode"] = 209,
        ["message"] = new JsonObject { ["subCode"] = subCode, ["details"] = "The bot is not allowed to write to this conversation." }.ToJsonString(),
    };

    private sealed record Fault(int Status, string Code, string? RetryAfter, bool TeamsShape);

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
