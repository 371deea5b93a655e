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
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Slack's Web API as an in-process HTTP server on loopback, as strict as Slack: which methods exist, which request
/// bodies each one reads and which arguments it requires come from Slack's own Web API description
/// (<see cref="SlackWebApiDescription"/>); a body Slack would not read is ignored exactly as Slack ignores it. It checks
/// the bearer token and Block Kit's limits (answering <c>ok:false</c> like Slack), records every call, can refuse,
/// fail, stall or hold chosen calls, and serves Socket Mode (<c>apps.connections.open</c> and a WebSocket the test drives).
/// </summary>
internal sealed class FakeSlackApi : IAsyncDisposable
{
    public const string BotToken = "xoxb-fake-bot-token";
    public const string AppToken = "xapp-fake-app-token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedSlackCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _rateLimited = new();
    private readonly ConcurrentDictionary<string, (int Status, int Times)> _httpFailures = new();
    private readonly ConcurrentDictionary<string, (TimeSpan For, int Times)> _stalls = new();
    private readonly ConcurrentBag<FakeSlackRefusal> _refusals = [];
    private readonly ConcurrentBag<(string Method, Func<JsonObject, bool> When, TaskCompletionSource Gate)> _holds = [];
    private readonly ConcurrentDictionary<string, bool> _usedTriggers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _openViews = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeSlackFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Channel, string Ts), bool> _botMessages = new();
    private readonly ConcurrentDictionary<(string Channel, string Ts), bool> _othersMessages = new();
    private readonly ConcurrentDictionary<string, bool> _botChannels = new(StringComparer.Ordinal) { ["CSUPPORT"] = true };
    private readonly Channel<SocketSession> _sockets = Channel.CreateUnbounded<SocketSession>();
    private readonly ConcurrentBag<SocketSession> _sessions = [];
    private readonly ConcurrentQueue<bool> _silentSockets = new();
    private long _ts = 1_700_000_000;

    /// <summary>Slack users by id: what users.info answers.</summary>
    public Dictionary<string, (string Name, string Email)> Users { get; } = new()
    {
        ["UALICE"] = ("Alice Example", "alice@example.com"),
        ["UBOB"] = ("Bob Helper", "bob@example.com"),
        ["UERIN"] = ("Erin Desk", "erin@example.com"),
        ["UMALLORY"] = ("Mallory", "mallory@example.com"),
        ["UCAROL"] = ("Carol Admin", "carol@example.com"),
        ["UDAVE"] = ("Dave Manager", "dave@example.com"),
    };

    /// <summary>Fields that replace what users.info shows for one user (team_id, is_email_confirmed, is_restricted, …).</summary>
    public Dictionary<string, JsonObject> UserOverrides { get; } = new(StringComparer.Ordinal);

    /// <summary>The bot's own user: users.info answers it with is_bot, and no email.</summary>
    public const string BotUserId = "UBOT";

    public const string BotId = "B0001";

    /// <summary>The workspace the bot is installed in (auth.test) and its app (bots.info): what the test payloads carry.</summary>
    public const string TeamId = "T0001";

    public const string AppId = "A0001";

    private FakeSlackApi(WebApplication app) => _app = app;

    /// <summary>Files by id, as the external upload left them.</summary>
    public IReadOnlyDictionary<string, FakeSlackFile> Files => _files;

    /// <summary>
    /// When set, files.getUploadURLExternal answers this upload URL instead of its own: a tampered or look-alike answer,
    /// for the tests that check the bot refuses to send bytes off Slack's upload host.
    /// </summary>
    public Func<string, Uri>? UploadUrlFor { get; set; }

    /// <summary>The bot becomes a member of <paramref name="channelId"/> (it is in CSUPPORT and the DMs it opened already).</summary>
    public void Join(string channelId) => _botChannels[channelId] = true;

    /// <summary>A message someone else posted, which the bot can see but may not delete or edit; returns its ts.</summary>
    public string PostedBySomeoneElse(string channelId)
    {
        var ts = NextTs();
        _othersMessages[(channelId, ts)] = true;
        return ts;
    }

    /// <summary>True while the bot's message is in Slack (posted and not deleted).</summary>
    public bool HasMessage(string channelId, string ts) => _botMessages.ContainsKey((channelId, ts));

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>
    /// The calls the bot made for its work: everything but the installation look-ups it makes once at start
    /// (<c>auth.test</c>, <c>bots.info</c>), so "nothing happened" reads as an empty list.
    /// </summary>
    public IReadOnlyList<RecordedSlackCall> Calls => _calls.Where(c => c.Method is not ("auth.test" or "bots.info")).ToArray();

    /// <summary>Every call, the installation look-ups included.</summary>
    public IReadOnlyList<RecordedSlackCall> AllCalls => _calls.ToArray();

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
        app.MapPost("/upload/v1/{ticket}", fake.ReceiveUploadAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/api/");
        return fake;
    }

    public IEnumerable<RecordedSlackCall> CallsTo(string method) => AllCalls.Where(c => c.Method == method);

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> answer 429 with Retry-After: 1.</summary>
    public void RateLimit(string method, int times) => _rateLimited[method] = times;

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> answer HTTP <paramref name="status"/> (a 5xx, say).</summary>
    public void FailHttp(string method, int status, int times) => _httpFailures[method] = (status, times);

    /// <summary>The next <paramref name="times"/> calls to <paramref name="method"/> wait <paramref name="delay"/> before answering.</summary>
    public void Stall(string method, TimeSpan delay, int times) => _stalls[method] = (delay, times);

    /// <summary>Calls to <paramref name="method"/> whose arguments match answer ok:false with <paramref name="error"/>.</summary>
    public void Refuse(string method, string error, Func<JsonObject, bool>? when = null, int times = int.MaxValue) =>
        _refusals.Add(new FakeSlackRefusal(method, error, when ?? (_ => true)) { Times = times });

    /// <summary>Calls to <paramref name="method"/> whose arguments match wait until the returned gate is released.</summary>
    public TaskCompletionSource Hold(string method, Func<JsonObject, bool> when)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holds.Add((method, when, gate));
        return gate;
    }

    /// <summary>The modal as it stands now (after views.open and any views.update), by view id.</summary>
    public JsonObject? View(string viewId) => _openViews.GetValueOrDefault(viewId);

    /// <summary>Waits (bounded) for the next Socket Mode connection.</summary>
    public async Task<SocketSession> NextSocketAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await _sockets.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next Socket Mode connection is a dead link: accepted, but it never reads, so no ping is answered.</summary>
    public void SilenceNextSocket() => _silentSockets.Enqueue(true);

    private async Task AcceptSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new SocketSession(socket, silent: _silentSockets.TryDequeue(out _));
        _sessions.Add(session);
        await _sockets.Writer.WriteAsync(session);
        await session.Finished;
    }

    private async Task<IResult> AnswerAsync(string method, HttpContext context)
    {
        var auth = context.Request.Headers.Authorization.ToString();
        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.ToString() : null;
        var rules = SlackWebApiDescription.Instance.Find(method);
        var (body, unreadable) = await ReadArgumentsAsync(context.Request, rules, mediaType);
        var call = (Method: method, Body: body, Auth: auth, MediaType: mediaType);

        foreach (var hold in _holds.Where(h => h.Method == method && h.When(body)))
        {
            await hold.Gate.Task;
        }

        if (_stalls.TryGetValue(method, out var stall) && stall.Times > 0)
        {
            _stalls[method] = stall with { Times = stall.Times - 1 };
            await Task.Delay(stall.For); // not cut short when the client gives up: the call is still recorded, as Slack would still act on it
        }

        if (_rateLimited.TryGetValue(method, out var left) && left > 0)
        {
            _rateLimited[method] = left - 1;
            context.Response.Headers.RetryAfter = "1";
            Record(call, new JsonObject { ["ok"] = false, ["error"] = "ratelimited" });
            return Results.StatusCode(429);
        }

        if (_httpFailures.TryGetValue(method, out var failure) && failure.Times > 0)
        {
            _httpFailures[method] = failure with { Times = failure.Times - 1 };
            Record(call, new JsonObject { ["ok"] = false, ["error"] = "http_" + failure.Status });
            return Results.StatusCode(failure.Status);
        }

        var answer = rules is null ? Error("unknown_method")
            : unreadable is not null ? unreadable
            : Answer(rules, body, auth);
        Record(call, answer);
        return Results.Json(answer);
    }

    /// <summary>
    /// The arguments Slack would read: the query string always, and the body only when the method's description lists
    /// its media type. A body Slack does not read is ignored, as Slack ignores it: <c>users.info</c> sent as JSON then
    /// has no <c>user</c> and answers <c>user_not_found</c>, which is what the real service does.
    /// </summary>
    private static async Task<(JsonObject Arguments, JsonObject? Refusal)> ReadArgumentsAsync(
        HttpRequest request, SlackMethodRules? rules, string? mediaType)
    {
        var arguments = new JsonObject();
        foreach (var (name, value) in request.Query)
        {
            arguments[name] = value.ToString();
        }

        using var reader = new StreamReader(request.Body);
        var raw = await reader.ReadToEndAsync();
        if (rules is null || !rules.Reads(mediaType) || raw.Length == 0)
        {
            return (arguments, null);
        }

        if (string.Equals(mediaType, SlackWebApiDescription.Json, StringComparison.OrdinalIgnoreCase))
        {
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(raw);
            }
            catch (System.Text.Json.JsonException)
            {
                return (arguments, Error("invalid_json"));
            }

            if (json is not JsonObject obj)
            {
                return (arguments, Error("json_not_object"));
            }

            foreach (var (name, value) in obj.ToList())
            {
                obj.Remove(name);
                arguments[name] = value;
            }

            return (arguments, null);
        }

        // Form arguments are strings; those the description calls JSON (blocks, view, attachments) are parsed as Slack does.
        foreach (var (name, value) in QueryHelpers.ParseQuery(raw))
        {
            var text = value.ToString();
            if (rules.JsonArguments.Contains(name))
            {
                try
                {
                    arguments[name] = JsonNode.Parse(text);
                }
                catch (System.Text.Json.JsonException)
                {
                    return (arguments, Error(name == "blocks" ? "invalid_blocks_format" : "invalid_arguments", [$"[ERROR] {name} is not valid JSON"]));
                }
            }
            else
            {
                arguments[name] = text;
            }
        }

        return (arguments, null);
    }

    private void Record((string Method, JsonObject Body, string Auth, string? MediaType) call, JsonObject answer) =>
        _calls.Enqueue(new RecordedSlackCall(call.Method, call.Body, call.Auth, answer, call.MediaType));

    private JsonObject Answer(SlackMethodRules rules, JsonObject body, string auth)
    {
        var method = rules.Method;
        var expectedToken = method == "apps.connections.open" ? AppToken : BotToken;
        if (auth.Length == 0)
        {
            return Error("not_authed");
        }

        if (auth != "Bearer " + expectedToken)
        {
            return Error("invalid_auth");
        }

        // Slack answers a call that lacks a required argument with invalid_arguments, naming the field.
        var missing = rules.Required.Where(name => body[name] is null).ToList();
        if (missing.Count > 0)
        {
            return Error("invalid_arguments", missing.Select(name => $"[ERROR] missing required field: {name}"));
        }

        if (_refusals.FirstOrDefault(r => r.Method == method && r.Times > 0 && r.When(body)) is { } refusal)
        {
            refusal.Times--;
            return Error(refusal.Error);
        }

        string? Arg(string name) => body[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

        foreach (var limit in rules.Limits ?? [])
        {
            var value = body[limit.Argument] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            if ((limit.MaxLength is { } max && value is { } && value.Length > max) ||
                (limit.Minimum is { } min && value is { } && (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min)))
            {
                return Error(limit.Error);
            }
        }

        switch (method)
        {
            case "chat.postMessage" or "chat.update" or "chat.postEphemeral":
                if (Arg("text") is null && body["blocks"] is null)
                {
                    return Error("no_text");
                }

                if (Arg("text") is { Length: > 40000 })
                {
                    return Error("msg_too_long");
                }

                if (body["blocks"] is { } blocksNode && blocksNode is not JsonArray)
                {
                    return Error("invalid_blocks_format");
                }

                var problems = FakeSlackRules.MessageViolations(body["blocks"] as JsonArray);
                if (problems.Count > 0)
                {
                    return Error("invalid_blocks", problems);
                }

                if (method == "chat.update" && _othersMessages.ContainsKey((Arg("channel") ?? "", Arg("ts")!)))
                {
                    return Error("cant_update_message");
                }

                var ts = method == "chat.update" ? Arg("ts")! : NextTs();
                if (method == "chat.postMessage")
                {
                    _botMessages[(Arg("channel")!, ts)] = true;
                }

                return new JsonObject { ["ok"] = true, ["channel"] = Arg("channel"), ["ts"] = ts };
            case "chat.delete":
                // Bots delete only their own messages: another's answers cant_delete_message (chat.delete's error table).
                var key = (Arg("channel") ?? "", Arg("ts") ?? "");
                if (_othersMessages.ContainsKey(key))
                {
                    return Error("cant_delete_message");
                }

                return _botMessages.TryRemove(key, out _)
                    ? new JsonObject { ["ok"] = true, ["channel"] = key.Item1, ["ts"] = key.Item2 }
                    : Error("message_not_found");
            case "files.getUploadURLExternal":
                return UploadTicket(Arg("filename")!, long.Parse(Arg("length")!, CultureInfo.InvariantCulture), Arg("alt_txt"));
            case "files.completeUploadExternal":
                return CompleteUpload(body["files"] as JsonArray, Arg("channel_id"));
            case "files.delete":
                if (Arg("file") is not { } fileId || !_files.TryGetValue(fileId, out var file) || !file.Completed)
                {
                    return Error("file_not_found");
                }

                if (file.Deleted)
                {
                    return Error("file_deleted");
                }

                file.Deleted = true;
                return new JsonObject { ["ok"] = true };
            case "views.open":
                // Trigger ids live 3 s; tests name one "expired…" to get Slack's answer for a late views.open.
                if (Arg("trigger_id")!.StartsWith("expired", StringComparison.Ordinal))
                {
                    return Error("expired_trigger_id");
                }

                if (!_usedTriggers.TryAdd(Arg("trigger_id")!, true))
                {
                    return Error("exchanged_trigger_id");
                }

                return OpenView(body["view"] as JsonObject);
            case "views.update":
                // One of view_id or external_id, and a view (docs.slack.dev/reference/methods/views.update).
                if (Arg("view_id") is not { } viewId || body["view"] is not JsonObject updated)
                {
                    return Error("invalid_arguments", ["[ERROR] view_id and view are required"]);
                }

                if (!_openViews.ContainsKey(viewId))
                {
                    return Error("not_found");
                }

                var updateProblems = FakeSlackRules.ModalViolations(updated);
                if (updateProblems.Count > 0)
                {
                    return Error("invalid_arguments", updateProblems);
                }

                _openViews[viewId] = updated;
                return new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = viewId } };
            case "conversations.open":
                if (Arg("users") is not { } user)
                {
                    return Error("users_list_not_supplied");
                }

                // users is a comma-separated list of 1 to 8 people: one is a DM, several a group DM (an mpim, G…). A person
                // Slack does not know cannot be messaged (conversations.open's error table: user_not_found, too_many_users).
                var people = user.Split(',');
                if (people.Length > 8)
                {
                    return Error("too_many_users");
                }

                if (people.Any(p => !Users.ContainsKey(p)))
                {
                    return Error("user_not_found");
                }

                var opened = people.Length == 1 ? "D" + user[1..] : "G" + string.Concat(people.Select(p => p[1..]));
                _botChannels[opened] = true;
                return new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = opened } };
            case "users.info":
                if (Arg("user") == BotUserId)
                {
                    return new JsonObject
                    {
                        ["ok"] = true,
                        ["user"] = new JsonObject
                        {
                            ["id"] = BotUserId, ["team_id"] = TeamId, ["name"] = "chatops_mfa", ["is_bot"] = true,
                            ["profile"] = new JsonObject { ["real_name"] = "ChatOps MFA", ["bot_id"] = BotId },
                        },
                    };
                }

                return Arg("user") is { } id && Users.TryGetValue(id, out var found)
                    ? new JsonObject { ["ok"] = true, ["user"] = UserObject(id, found.Name, found.Email) }
                    : Error("user_not_found");
            case "users.lookupByEmail":
                // Slack matches the address case-insensitively and knows only people (bots have no email).
                var email = Arg("email")!;
                var match = Users.FirstOrDefault(u => string.Equals(u.Value.Email, email, StringComparison.OrdinalIgnoreCase));
                return match.Key is null
                    ? Error("users_not_found")
                    : new JsonObject { ["ok"] = true, ["user"] = UserObject(match.Key, match.Value.Name, match.Value.Email) };
            case "auth.test":
                return new JsonObject
                {
                    ["ok"] = true, ["url"] = "https://example.slack.com/", ["team"] = "Example", ["user"] = "chatops_mfa",
                    ["team_id"] = TeamId, ["user_id"] = BotUserId, ["bot_id"] = BotId, ["is_enterprise_install"] = false,
                };
            case "bots.info":
                return Arg("bot") == BotId
                    ? new JsonObject
                    {
                        ["ok"] = true,
                        ["bot"] = new JsonObject { ["id"] = BotId, ["app_id"] = AppId, ["user_id"] = BotUserId, ["name"] = "ChatOps MFA", ["deleted"] = false },
                    }
                    : Error("bot_not_found");
            case "apps.connections.open":
                var socketUrl = new UriBuilder(BaseUrl) { Scheme = "ws", Path = "/socket" }.Uri;
                return new JsonObject { ["ok"] = true, ["url"] = socketUrl.ToString() };
            default:
                // A method Slack has but this fake does not model: a test that needs it must add it here first.
                return Error("fake_method_not_modelled");
        }
    }

    private JsonObject UploadTicket(string fileName, long length, string? altText)
    {
        var id = "F" + NextTs().Replace(".", "", StringComparison.Ordinal);
        var ticket = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var file = new FakeSlackFile(id, ticket, fileName, length, altText);
        _files[id] = file;
        var url = UploadUrlFor?.Invoke(ticket) ?? new UriBuilder(BaseUrl) { Path = "/upload/v1/" + ticket }.Uri;
        return new JsonObject { ["ok"] = true, ["upload_url"] = url.ToString(), ["file_id"] = id };
    }

    /// <summary>
    /// files.completeUploadExternal: every file must have had its bytes uploaded and not be completed yet ("can only be
    /// called once"); otherwise file_not_found. Sharing needs the bot in the channel (not_in_channel).
    /// </summary>
    private JsonObject CompleteUpload(JsonArray? files, string? channelId)
    {
        if (files is not { Count: > 0 } || files.Any(f => f is not JsonObject || f["id"] is not JsonValue))
        {
            return Error("invalid_arguments", ["[ERROR] files must be an array of objects with an id"]);
        }

        var found = new List<(FakeSlackFile File, string? Title)>();
        foreach (var entry in files.OfType<JsonObject>())
        {
            var id = entry["id"]!.GetValue<string>();
            if (!_files.TryGetValue(id, out var file) || file.Bytes is null || file.Completed || file.Deleted)
            {
                return Error("file_not_found");
            }

            found.Add((file, entry["title"]?.GetValue<string>()));
        }

        if (channelId is not null)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(channelId, "^[CDG][A-Z0-9]+$"))
            {
                return Error("channel_not_found");
            }

            // The bot is in the support channel, in any channel a test made it join, and in its DM with each person
            // (an IM, which conversations.open answers with the same id every time).
            if (!_botChannels.ContainsKey(channelId) && !(channelId.StartsWith('D') && Users.ContainsKey("U" + channelId[1..])))
            {
                return Error("not_in_channel");
            }
        }

        foreach (var (file, title) in found)
        {
            file.Completed = true;
            file.SharedIn = channelId;
            file.Title = title ?? file.FileName;
        }

        return new JsonObject
        {
            ["ok"] = true,
            ["files"] = new JsonArray(found.Select(f => (JsonNode)new JsonObject { ["id"] = f.File.Id, ["title"] = f.File.Title }).ToArray()),
        };
    }

    /// <summary>
    /// The upload URL: the bytes of one ticket, raw or multipart; HTTP 200 when they arrived with the declared length,
    /// any other status a failure (Slack's upload guide). Recorded as a call to <c>(upload)</c>.
    /// </summary>
    private async Task<IResult> ReceiveUploadAsync(string ticket, HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            if (form.Files.Count > 0)
            {
                using var part = new MemoryStream();
                await form.Files[0].CopyToAsync(part);
                bytes = part.ToArray();
            }
        }

        var file = _files.Values.FirstOrDefault(f => f.Ticket == ticket);
        var status = file is null || file.Completed ? 404 : bytes.Length != file.DeclaredLength ? 400 : 200;
        if (status == 200)
        {
            file!.Bytes = bytes;
        }

        _calls.Enqueue(new RecordedSlackCall(UploadMethod,
            new JsonObject { ["file_id"] = file?.Id, ["length"] = bytes.Length, ["host"] = context.Request.Host.ToString() },
            context.Request.Headers.Authorization.ToString(), new JsonObject { ["ok"] = status == 200, ["status"] = status },
            context.Request.ContentType));
        return status == 200 ? Results.Text("OK - " + bytes.Length.ToString(CultureInfo.InvariantCulture)) : Results.StatusCode(status);
    }

    /// <summary>The name a byte upload is recorded under (it is not a Web API method).</summary>
    public const string UploadMethod = "(upload)";

    private JsonObject OpenView(JsonObject? view)
    {
        var viewProblems = FakeSlackRules.ModalViolations(view);
        if (viewProblems.Count > 0)
        {
            return Error("invalid_arguments", viewProblems);
        }

        var id = "V" + NextTs().Replace(".", "", StringComparison.Ordinal);
        _openViews[id] = view!;
        return new JsonObject { ["ok"] = true, ["view"] = new JsonObject { ["id"] = id } };
    }

    /// <summary>
    /// A member of this workspace as users.info shows one: its team, a confirmed email, not a guest, a stranger, a bot
    /// or deleted; <see cref="UserOverrides"/> changes any of those fields for one user.
    /// </summary>
    private JsonObject UserObject(string id, string name, string email)
    {
        var user = new JsonObject
        {
            ["id"] = id,
            ["team_id"] = TeamId,
            ["name"] = name.Split(' ')[0].ToLowerInvariant(),
            ["deleted"] = false,
            ["is_bot"] = false,
            ["is_app_user"] = false,
            ["is_restricted"] = false,
            ["is_ultra_restricted"] = false,
            ["is_stranger"] = false,
            ["is_email_confirmed"] = true,
            ["updated"] = 1_700_000_000,
            ["profile"] = new JsonObject { ["real_name"] = name, ["email"] = email },
        };
        if (UserOverrides.TryGetValue(id, out var overrides))
        {
            foreach (var (field, value) in overrides)
            {
                user[field] = value?.DeepClone();
            }
        }

        return user;
    }

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
        foreach (var hold in _holds)
        {
            hold.Gate.TrySetResult();
        }

        foreach (var session in _sessions)
        {
            session.Drop(); // otherwise Kestrel waits for the open WebSocket requests until its shutdown timeout
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
