using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Local;
using ChatOpsMfa.Hosting;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Local;

/// <summary>
/// The local page's sandbox panel (/local/sandbox/*): the codes and links the Okta sandbox "sent", and a simulated
/// Okta Verify device. It shows one-time codes and approves enrolments, so it exists only in local mode, only for
/// this machine, and only while the in-process sandbox is the Okta the bot uses.
/// </summary>
public sealed class SandboxPanelTests
{
    private const string Phone = "+14155550123";

    [Fact]
    public async Task Inbox_shows_what_the_sandbox_sent_newest_first_to_masked_destinations()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var alice = await host.AliceIdAsync();
        await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "sms", ["provider"] = "OKTA", ["profile"] = new JsonObject { ["phoneNumber"] = Phone } });
        await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "email", ["provider"] = "OKTA", ["profile"] = new JsonObject { ["email"] = "alice@example.com" } });

        using var response = await host.Http.GetAsync(new Uri("/local/sandbox/inbox", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var messages = body["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
        Assert.Equal(["email", "sms"], messages.Select(m => m["channel"]!.GetValue<string>()));
        var sent = host.Sandbox.Inbox;
        Assert.Equal(sent.Select(m => m.Text).Reverse(), messages.Select(m => m["text"]!.GetValue<string>()));
        Assert.Matches("^Your verification code is [0-9]{6}", messages[0]["text"]!.GetValue<string>());
        Assert.Equal(sent.Select(m => m.Destination).Reverse(), messages.Select(m => m["destination"]!.GetValue<string>()));
        Assert.DoesNotContain("5550123", body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("alice@example.com", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_lists_a_waiting_Okta_Verify_enrolment_and_approving_it_makes_the_factor_ACTIVE()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var alice = await host.AliceIdAsync();
        var factorId = await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "push", ["provider"] = "OKTA" });

        var (listStatus, device) = await host.Client.SendAsync(HttpMethod.Get, "/local/sandbox/device", null, null);
        var pending = Assert.Single(device!["pending"]!.AsArray())!;
        var (approveStatus, approved) = await host.DecideAsync("approve", alice, factorId);
        var (_, after) = await host.Client.SendAsync(HttpMethod.Get, "/local/sandbox/device", null, null);
        var (againStatus, _) = await host.DecideAsync("approve", alice, factorId);

        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal((alice, factorId, "alice@example.com"),
            (pending["userId"]!.GetValue<string>(), pending["factorId"]!.GetValue<string>(), pending["login"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, approveStatus);
        Assert.Equal("ACTIVE", approved!["result"]!.GetValue<string>());
        Assert.Equal("ACTIVE", host.Sandbox.FactorsOf(alice)!.Single(f => f.Id == factorId).Status);
        Assert.Empty(after!["pending"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, againStatus);
    }

    [Fact]
    public async Task Denying_on_the_device_ends_the_activation_as_Okta_CANCELLED()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var alice = await host.AliceIdAsync();
        var factorId = await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "push", ["provider"] = "OKTA" });

        var (status, denied) = await host.DecideAsync("deny", alice, factorId);
        var poll = await host.OktaAsync(HttpMethod.Post, $"/api/v1/users/{alice}/factors/{factorId}/lifecycle/activate/poll", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CANCELLED", denied!["result"]!.GetValue<string>());
        Assert.Equal("CANCELLED", poll["_embedded"]!["activation"]!["factorResult"]!.GetValue<string>());
        Assert.Empty(host.Sandbox.PendingPushActivations);
        Assert.Equal("PENDING_ACTIVATION", host.Sandbox.FactorsOf(alice)!.Single(f => f.Id == factorId).Status);
    }

    /// <summary>
    /// The attack: a web page on another site, open in the developer's browser, posts to 127.0.0.1 (a form needs no
    /// CORS preflight, and the Host header is loopback) to approve an enrolment. Refused, and nothing changes.
    /// </summary>
    [Theory]
    [InlineData("text/plain", null, null, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", null, null, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "http://attacker.example", null, HttpStatusCode.Forbidden)]
    [InlineData("application/json", "http://127.0.0.1:1", null, HttpStatusCode.Forbidden)]
    [InlineData("application/json", null, "cross-site", HttpStatusCode.Forbidden)]
    [InlineData("application/json", null, "same-site", HttpStatusCode.Forbidden)]
    public async Task A_decision_from_another_site_is_refused_and_changes_nothing(string contentType, string? origin, string? fetchSite, HttpStatusCode expected)
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var alice = await host.AliceIdAsync();
        var factorId = await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "push", ["provider"] = "OKTA" });

        using var request = CrossSitePost("/local/sandbox/device/approve",
            new JsonObject { ["userId"] = alice, ["factorId"] = factorId }, contentType, origin, fetchSite);

        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(factorId, Assert.Single(host.Sandbox.PendingPushActivations).FactorId);
        Assert.Equal("PENDING_ACTIVATION", host.Sandbox.FactorsOf(alice)!.Single(f => f.Id == factorId).Status);
    }

    [Fact]
    public async Task The_page_itself_may_decide_with_its_own_origin()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var alice = await host.AliceIdAsync();
        var factorId = await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "push", ["provider"] = "OKTA" });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/local/sandbox/device/approve")
        {
            Content = new StringContent(new JsonObject { ["userId"] = alice, ["factorId"] = factorId }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://localhost");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ACTIVE", host.Sandbox.FactorsOf(alice)!.Single(f => f.Id == factorId).Status);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"userId\":\"00u1\",\"factorId\":42}")]
    [InlineData("{\"userId\":\"../../api\",\"factorId\":\"opf1\"}")]
    [InlineData("[1]")]
    [InlineData("not json")]
    public async Task A_malformed_decision_is_a_clear_400(string body)
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());

        var (status, error) = await host.Client.SendAsync(HttpMethod.Post, "/local/sandbox/device/approve", null, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadArgument", error!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Device_lists_a_waiting_Okta_Verify_push_and_approving_it_answers_the_poll_SUCCESS()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var (bob, poll) = await host.PushToBobAsync();

        var (listStatus, device) = await host.Client.SendAsync(HttpMethod.Get, "/local/sandbox/device", null, null);
        var challenge = Assert.Single(device!["challenges"]!.AsArray())!;
        var transactionId = challenge["transactionId"]!.GetValue<string>();
        var pending = Assert.Single(host.Sandbox.PendingPushChallenges);
        var (approveStatus, approved) = await host.DecideChallengeAsync("approve", bob, transactionId);
        var (_, after) = await host.Client.SendAsync(HttpMethod.Get, "/local/sandbox/device", null, null);
        var (againStatus, again) = await host.DecideChallengeAsync("deny", bob, transactionId);

        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal((bob, "bob@example.com", pending.TransactionId, pending.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)), (
            challenge["userId"]!.GetValue<string>(), challenge["login"]!.GetValue<string>(), transactionId, challenge["expiresAt"]!.GetValue<string>()));
        Assert.Empty(device["pending"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, approveStatus);
        Assert.Equal((transactionId, "SUCCESS"), (approved!["transactionId"]!.GetValue<string>(), approved["result"]!.GetValue<string>()));
        Assert.Equal("SUCCESS", (await host.OktaAsync(HttpMethod.Get, poll, null))["factorResult"]!.GetValue<string>());
        Assert.Empty(after!["challenges"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, againStatus);
        Assert.Equal("NotFound", again!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Denying_a_push_on_the_device_answers_the_poll_REJECTED()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var (bob, poll) = await host.PushToBobAsync();
        var transactionId = Assert.Single(host.Sandbox.PendingPushChallenges).TransactionId;

        var (status, denied) = await host.DecideChallengeAsync("deny", bob, transactionId);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("REJECTED", denied!["result"]!.GetValue<string>());
        Assert.Equal("REJECTED", (await host.OktaAsync(HttpMethod.Get, poll, null))["factorResult"]!.GetValue<string>());
        Assert.Empty(host.Sandbox.PendingPushChallenges);
    }

    /// <summary>Answering another approver's push from the panel, or a push that does not exist, changes nothing.</summary>
    [Fact]
    public async Task A_push_decision_for_someone_else_or_an_unknown_transaction_is_404_and_changes_nothing()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        await host.PushToBobAsync();
        var transactionId = Assert.Single(host.Sandbox.PendingPushChallenges).TransactionId;

        var (asErin, _) = await host.DecideChallengeAsync("approve", OktaSandboxSeed.ErinId, transactionId);
        var (unknown, _) = await host.DecideChallengeAsync("approve", OktaSandboxSeed.BobId, "v2mst.AAAAAAAAAAAAAAAAAAAAAA");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (asErin, unknown));
        Assert.Equal(transactionId, Assert.Single(host.Sandbox.PendingPushChallenges).TransactionId);
    }

    [Theory]
    [InlineData("text/plain", null, null, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "http://attacker.example", null, HttpStatusCode.Forbidden)]
    [InlineData("application/json", null, "cross-site", HttpStatusCode.Forbidden)]
    public async Task A_push_decision_from_another_site_is_refused_and_changes_nothing(string contentType, string? origin, string? fetchSite, HttpStatusCode expected)
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());
        var (bob, _) = await host.PushToBobAsync();
        var transactionId = Assert.Single(host.Sandbox.PendingPushChallenges).TransactionId;

        using var request = CrossSitePost("/local/sandbox/device/challenge/approve",
            new JsonObject { ["userId"] = bob, ["transactionId"] = transactionId }, contentType, origin, fetchSite);

        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(transactionId, Assert.Single(host.Sandbox.PendingPushChallenges).TransactionId);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"userId\":\"00u1\"}")]
    [InlineData("{\"userId\":\"00u1\",\"factorId\":\"opf1\"}")]
    [InlineData("{\"userId\":\"00u1\",\"transactionId\":42}")]
    [InlineData("{\"userId\":\"00u1\",\"transactionId\":\"../../api/v1\"}")]
    [InlineData("{\"userId\":\"00u1\",\"transactionId\":\"v2mst.a/b\"}")]
    [InlineData("{\"userId\":\"00u1\",\"transactionId\":\"v2mst..AAAA\"}")]
    [InlineData("{\"userId\":\"../x\",\"transactionId\":\"v2mst.AAAA\"}")]
    [InlineData("not json")]
    public async Task A_malformed_push_decision_is_a_clear_400(string body)
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());

        var (status, error) = await host.Client.SendAsync(HttpMethod.Post, "/local/sandbox/device/challenge/deny", null, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadArgument", error!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_panel_script_shows_a_push_as_an_Okta_Verify_prompt_with_stable_approve_and_deny_buttons()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());

        using var script = await host.Http.GetAsync(new Uri("/local/sandbox.js", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await script.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("'Okta Verify (sandbox)'", text, StringComparison.Ordinal);
        Assert.Contains("'Did you just try to approve an MFA reset?'", text, StringComparison.Ordinal);
        Assert.Contains("okta-verify-approve", text, StringComparison.Ordinal);
        Assert.Contains("okta-verify-deny", text, StringComparison.Ordinal);
        Assert.Contains("/local/sandbox/device/challenge/approve", text, StringComparison.Ordinal);
        Assert.Contains("/local/sandbox/device/challenge/deny", text, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/local/sandbox/inbox")]
    [InlineData("GET", "/local/sandbox/device")]
    [InlineData("POST", "/local/sandbox/device/approve")]
    [InlineData("POST", "/local/sandbox/device/deny")]
    [InlineData("POST", "/local/sandbox/device/challenge/approve")]
    [InlineData("POST", "/local/sandbox/device/challenge/deny")]
    public async Task The_panel_refuses_another_machine(string method, string path)
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings(), IPAddress.Parse("192.0.2.10"));
        var alice = await host.AliceIdAsync();
        var factorId = await host.EnrolAsync(alice, new JsonObject { ["factorType"] = "push", ["provider"] = "OKTA" });

        var (bob, _) = await host.PushToBobAsync();
        var transactionId = Assert.Single(host.Sandbox.PendingPushChallenges).TransactionId;

        var (status, _) = await host.Client.SendAsync(new HttpMethod(method), path, null,
            method != "POST" ? null
            : path.Contains("challenge", StringComparison.Ordinal) ? new JsonObject { ["userId"] = bob, ["transactionId"] = transactionId }.ToJsonString()
            : new JsonObject { ["userId"] = alice, ["factorId"] = factorId }.ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Single(host.Sandbox.PendingPushActivations);
        Assert.Single(host.Sandbox.PendingPushChallenges);
    }

    [Fact]
    public async Task The_panel_does_not_exist_outside_Development()
    {
        await using var host = await PanelHost.StartAsync("Production", new Dictionary<string, string?>
        {
            ["Okta:Client:OrgUrl"] = "https://example.okta.com",
            ["Okta:Client:Token"] = "not-a-real-token",
        });

        await host.AssertNoPanelAsync();
    }

    /// <summary>With an Okta org, or a sandbox in another process (the crash tests' set-up), this sandbox is not the one in use.</summary>
    [Theory]
    [InlineData("false", "https://example.okta.com")]
    [InlineData("true", "http://127.0.0.1:5999/")]
    public async Task The_panel_does_not_exist_when_the_bot_talks_to_another_Okta(string localChat, string orgUrl)
    {
        await using var host = await PanelHost.StartAsync("Development", new Dictionary<string, string?>
        {
            ["LocalChat:Enabled"] = localChat,
            ["Okta:Sandbox:Enabled"] = "true",
            ["Okta:Client:OrgUrl"] = orgUrl,
            ["Okta:Client:Token"] = "not-a-real-token",
        });

        await host.AssertNoPanelAsync();
        if (localChat == "true")
        {
            var (status, info) = await host.Client.SendAsync(HttpMethod.Get, "/local/info", null, null);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False(info!["sandboxPanel"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task The_page_has_the_sandbox_panel_and_a_policy_that_takes_images_only_from_itself_and_data_URIs()
    {
        await using var host = await PanelHost.StartAsync("Development", SandboxSettings());

        using var page = await host.Http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        var (_, info) = await host.Client.SendAsync(HttpMethod.Get, "/local/info", null, null);

        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Okta sandbox — not a real phone", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/local/sandbox.js\"></script>", html, StringComparison.Ordinal);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data: blob:;", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.True(info!["sandboxPanel"]!.GetValue<bool>());
    }

    private static Dictionary<string, string?> SandboxSettings() => new()
    {
        ["Okta:Sandbox:Enabled"] = "true",
        ["Okta:Client:OrgUrl"] = "",
    };

    /// <summary>
    /// The pieces of Program.cs the panel depends on (Okta with its sandbox, the local chat and its Okta banner),
    /// on a TestServer with the caller's address set, since TestServer has none.
    /// </summary>
    private sealed class PanelHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private PanelHost(WebApplication app)
        {
            _app = app;
            Http = app.GetTestClient();
            Client = new DirectLineTestClient(Http);
        }

        public HttpClient Http { get; }

        public DirectLineTestClient Client { get; }

        public OktaSandbox Sandbox => _app.Services.GetRequiredService<OktaSandbox>();

        public static async Task<PanelHost> StartAsync(string environment, Dictionary<string, string?> settings, IPAddress? caller = null)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = RepoPaths.WebProject });
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<ILocalCardRenderer, PlaceholderCardRenderer>();
            builder.RefuseLocalModeOutsideDevelopment();
            builder.AddOkta();
            builder.AddLocalChat();
            builder.ShowOktaModeInLocalChat();

            var app = builder.Build();
            var remote = caller ?? IPAddress.Loopback;
            app.Use((context, next) =>
            {
                context.Connection.RemoteIpAddress = remote;
                return next(context);
            });
            app.MapLocalChat();
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new PanelHost(app);
        }

        /// <summary>Alice after a reset, as the bot leaves her before enrolling: her id, with no factors.</summary>
        public async Task<string> AliceIdAsync()
        {
            var id = (await OktaAsync(HttpMethod.Get, "/api/v1/users/alice@example.com", null))["id"]!.GetValue<string>();
            await OktaAsync(HttpMethod.Post, $"/api/v1/users/{id}/lifecycle/reset_factors", null);
            return id;
        }

        /// <summary>Enrols through the sandbox's own Okta API, as the bot's workflow does; returns the factor id.</summary>
        public async Task<string> EnrolAsync(string userId, JsonObject factor) =>
            (await OktaAsync(HttpMethod.Post, $"/api/v1/users/{userId}/factors", factor))["id"]!.GetValue<string>();

        public async Task<JsonObject> OktaAsync(HttpMethod method, string path, JsonObject? body)
        {
            using var okta = new HttpClient { BaseAddress = Sandbox.BaseUrl };
            using var request = new HttpRequestMessage(method, path.StartsWith("http", StringComparison.Ordinal) ? path : path.TrimStart('/'));
            request.Headers.Authorization = new AuthenticationHeaderValue("SSWS", Sandbox.Token);
            request.Headers.UserAgent.ParseAdd("ChatOpsMfa-Tests/1.0");
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = await okta.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, text);
            return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        }

        /// <summary>Sends Bob an Okta Verify push as the bot's step-up does; returns his id and the poll link.</summary>
        public async Task<(string BobId, string Poll)> PushToBobAsync()
        {
            var bob = (await OktaAsync(HttpMethod.Get, "/api/v1/users/bob@example.com", null))["id"]!.GetValue<string>();
            var push = Sandbox.FactorsOf(bob)!.Single(f => f.FactorType == "push" && f.Status == "ACTIVE").Id;
            var challenge = await OktaAsync(HttpMethod.Post, $"/api/v1/users/{bob}/factors/{push}/verify", null);
            return (bob, challenge["_links"]!["poll"]!["href"]!.GetValue<string>());
        }

        public Task<(HttpStatusCode Status, JsonObject? Json)> DecideChallengeAsync(string verb, string userId, string transactionId) =>
            Client.SendAsync(HttpMethod.Post, $"/local/sandbox/device/challenge/{verb}", null,
                new JsonObject { ["userId"] = userId, ["transactionId"] = transactionId }.ToJsonString());

        public Task<(HttpStatusCode Status, JsonObject? Json)> DecideAsync(string verb, string userId, string factorId) =>
            Client.SendAsync(HttpMethod.Post, $"/local/sandbox/device/{verb}", null,
                new JsonObject { ["userId"] = userId, ["factorId"] = factorId }.ToJsonString());

        public async Task AssertNoPanelAsync()
        {
            foreach (var (method, path) in new[]
                     {
                         ("GET", "/local/sandbox/inbox"), ("GET", "/local/sandbox/device"), ("POST", "/local/sandbox/device/approve"),
                         ("POST", "/local/sandbox/device/challenge/approve"), ("POST", "/local/sandbox/device/challenge/deny"),
                     })
            {
                var (status, _) = await Client.SendAsync(new HttpMethod(method), path, null,
                    method == "POST" ? "{\"userId\":\"00u1\",\"factorId\":\"opf1\",\"transactionId\":\"v2mst.AAAA\"}" : null);
                Assert.Equal(HttpStatusCode.NotFound, status);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(TestContext.Current.CancellationToken);
            await _app.DisposeAsync();
        }
    }

    /// <summary>A panel decision as another site (or the page itself) would send it.</summary>
    private static HttpRequestMessage CrossSitePost(string path, JsonObject body, string contentType, string? origin, string? fetchSite)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }
}
