using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Slack's Web API as an in-process HTTP server on loopback: it checks the bearer token, each method's required
/// arguments and Block Kit's limits (answering <c>ok:false</c> like Slack), records every call, and serves Socket
/// Mode (<c>apps.connections.open</c> and a WebSocket the test drives).
/// </summary>
internal sealed class FakeSlackApi : IAsyncDisposable
{
    public const string BotToken = "xoxb-fake-bot-token";
    public const string AppToken = "xapp-fake-app-token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedSlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _rateLimited = new();
    private readonly Channel<SocketSession> _sockets = Channel.CreateUnbounded<SocketSession>();
    private readonly ConcurrentBag<SocketSession> _sessions = [];
    private long _ts = 1_700_000_000;

    /// <summary>Slack users by id: what users.info answers.</summary>
    public Dictionary<string, (string Name, string Email)> Users { get; } = new()
    {
        ["UALICE"] = ("Alice Example", "alice@example.com"),
        ["UBOB"] = ("Bob Helper", "bob@example.com"),
        ["UERIN"] = ("Erin Desk", "erin@example.com"),
        ["UMALLORY"] = ("Mallory", "mallory@example.com"),
        ["UCAROL"] = ("Carol Admin", "carol@example.com"),
    };

    /// <summary>The bot's own user: users.info answers it with is_bot, and no email.</summary>
    public const string BotUserId = "UBOT";

    private FakeSlackApi(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedSlackCall> Calls => _calls.ToArray();

    public static async Task<FakeSlackApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlackApi(app);
        app.UseWebSockets();
        app.Map("/socket", fake.AcceptSocketAsync);
        app.MapPost("/api/{method}", fake.AnswerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/api/");
        return fake;
    }

    public IEnumerable<RecordedSlackCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> answer 429 with Retry-After: 1.</summary>
    public void RateLimit(string method, int times) => _rateLimited[method] = times;

    /// <summary>Waits (bounded) for the next Socket Mode connection.</summary>
    public async Task<SocketSession> NextSocketAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await _sockets.Reader.ReadAsync(timeout.Token);
    }

    private async Task AcceptSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new SocketSession(socket);
        _sessions.Add(session);
        await _sockets.Writer.WriteAsync(session);
        await session.Finished;
    }

    private async Task<IResult> AnswerAsync(string method, HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var auth = context.Request.Headers.Authorization.ToString();
        if (_rateLimited.TryGetValue(method, out var left) && left > 0)
        {
            _rateLimited[method] = left - 1;
            context.Response.Headers.RetryAfter = "1";
            _calls.Enqueue(new RecordedSlackCall(method, body, auth, new JsonObject { ["ok"] = false, ["error"] = "ratelimited" }));
            return Results.StatusCode(429);
        }

        var answer = Answer(method, body, auth);
        _calls.Enqueue(new RecordedSlackCall(method, body, auth, answer));
        return Results.Json(answer);
    }

    private JsonObject Answer(string method, JsonObject body, string auth)
    {
        var expectedToken = method == "apps.connections.open" ? AppToken : BotToken;
        if (auth != "Bearer " + expectedToken)
        {
            return Error("invalid_auth");
        }

        string? Arg(string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

        switch (method)
        {
            case "chat.postMessage" or "chat.update" or "chat.postEphemeral":
                if (Arg("channel") is null)
                {
                    return Error("channel_not_found");
                }

                if (Arg("text") is null && body["blocks"] is null)
                {
                    return Error("no_text");
                }

                if (method == "chat.update" && Arg("ts") is null)
                {
                    return Error("message_not_found");
                }

                if (method == "chat.postEphemeral" && Arg("user") is null)
                {
                    return Error("user_not_in_channel");
                }

                if (Arg("text") is { Length: > 40000 })
                {
                    return Error("msg_too_long");
                }

                var problems = FakeSlackRules.MessageViolations(body["blocks"] as JsonArray);
                if (problems.Count > 0)
                {
                    return Error("invalid_blocks", problems);
                }

                var ts = method == "chat.update" ? Arg("ts")! : NextTs();
                return new JsonObject { ["ok"] = true, ["channel"] = Arg("channel"), ["ts"] = ts };
            case "views.open":
                if (Arg("trigger_id") is null)
                {
                    return Error("invalid_trigger_id");
                }

                // Trigger ids live 3 s; tests name one "expired…" to get Slack's answer for a late views.open.
                if (Arg("trigger_id")!.StartsWith("expired", StringComparison.Ordinal))
                {
                    return Error("expired_trigger_id");
                }

                var viewProblems = FakeSlackRules.ModalViolations(body["view"] as JsonObject);
                return viewProblems.Count > 0
                    ? Error("invalid_arguments", viewProblems)
                    : new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = "V" + NextTs().Replace(".", "", StringComparison.Ordinal) } };
            case "conversations.open":
                return Arg("users") is { } user
                    ? new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = "D" + user[1..] } }
                    : Error("users_list_not_supplied");
            case "users.info":
                if (Arg("user") == BotUserId)
                {
                    return new JsonObject
                    {
                        ["ok"] = true,
                        ["user"] = new JsonObject
                        {
                            ["id"] = BotUserId, ["name"] = "chatops_mfa", ["is_bot"] = true,
                            ["profile"] = new JsonObject { ["real_name"] = "ChatOps MFA", ["bot_id"] = "B0001" },
                        },
                    };
                }

                if (Arg("user") is not { } id || !Users.TryGetValue(id, out var found))
                {
                    return Error("user_not_found");
                }

                return new JsonObject { ["ok"] = true, ["user"] = UserObject(id, found.Name, found.Email) };
            case "users.lookupByEmail":
                // Slack matches the address case-insensitively and knows only people (bots have no email).
                if (Arg("email") is not { } email)
                {
                    return Error("invalid_arguments");
                }

                var match = Users.FirstOrDefault(u => string.Equals(u.Value.Email, email, StringComparison.OrdinalIgnoreCase));
                return match.Key is null
                    ? Error("users_not_found")
                    : new JsonObject { ["ok"] = true, ["user"] = UserObject(match.Key, match.Value.Name, match.Value.Email) };
            case "apps.connections.open":
                var socketUrl = new UriBuilder(BaseUrl) { Scheme = "ws", Path = "/socket" }.Uri;
                return new JsonObject { ["ok"] = true, ["url"] = socketUrl.ToString() };
            default:
                return Error("unknown_method");
        }
    }

    private static JsonObject UserObject(string id, string name, string email) => new()
    {
        ["id"] = id,
        ["name"] = name.Split(' ')[0].ToLowerInvariant(),
        ["is_bot"] = false,
        ["profile"] = new JsonObject { ["real_name"] = name, ["email"] = email },
    };

    private string NextTs() =>
        string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _ts)}.000100");

    private static JsonObject Error(string error, IEnumerable<string>? messages = null)
    {
        var answer = new JsonObject { ["ok"] = false, ["error"] = error };
        if (messages is not null)
        {
            answer["response_metadata"] = new JsonObject { ["messages"] = new JsonArray(messages.Select(m => (JsonNode)m).ToArray()) };
        }

        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            session.Drop(); // otherwise Kestrel waits for the open WebSocket requests until its shutdown timeout
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
