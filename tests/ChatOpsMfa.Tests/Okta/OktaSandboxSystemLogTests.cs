using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Okta.OktaSandboxTestKit;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// The sandbox's System Log (listLogEvents): events shaped like Okta's ListLogs example and valid against LogEvent,
/// the sandbox's own operations logged with the API token's admin as actor, a seeded week of sign-ins, and
/// listLogEvents' query rules, refusing every filter, date or parameter it does not understand.
/// </summary>
public sealed class OktaSandboxSystemLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private OktaSandbox _sandbox = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(timeProvider: _time, cancellationToken: Ct);
        _http = Client(_sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task The_seed_has_a_week_of_sign_ins_for_everyone_and_Carols_latest_is_from_a_new_country()
    {
        var (response, events) = await LogsAsync("filter=" + Filter($"eventType eq \"user.session.start\""));

        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.InRange(Published(e), Start.AddDays(-7), Start));
        foreach (var user in new[] { OktaSandboxSeed.AliceId, OktaSandboxSeed.BobId, OktaSandboxSeed.CarolId, OktaSandboxSeed.DaveId, OktaSandboxSeed.ErinId })
        {
            var mine = events.Where(e => e["actor"]!["id"]!.GetValue<string>() == user).ToList();
            Assert.True(mine.Count >= 2, $"{user} has {mine.Count} sign-ins");
            Assert.All(mine, e => Assert.Equal("User", e["actor"]!["type"]!.GetValue<string>()));
        }

        var carol = events.Where(e => e["actor"]!["id"]!.GetValue<string>() == OktaSandboxSeed.CarolId).ToList();
        Assert.Equal("Germany", carol[^1]["client"]!["geographicalContext"]!["country"]!.GetValue<string>());
        Assert.Equal(Start.AddDays(-1), Published(carol[^1]));
        Assert.Equal(
            "{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, New Country=POSITIVE, Velocity=NEGATIVE, New City=NEGATIVE}",
            carol[^1]["debugContext"]!["debugData"]!["behaviors"]!.GetValue<string>());
        var others = events.Except([carol[^1]]).ToList();
        Assert.All(others, e => Assert.Equal("United States", e["client"]!["geographicalContext"]!["country"]!.GetValue<string>()));
        Assert.All(others, e => Assert.Contains("New Country=NEGATIVE", e["debugContext"]!["debugData"]!["behaviors"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_in_is_shaped_like_Oktas_ListLogs_example()
    {
        var example = (await ExampleAsync("ListLogs")).AsArray()[0]!;
        var (_, events) = await LogsAsync("filter=" + Filter($"actor.id eq \"{OktaSandboxSeed.AliceId}\""));
        var signIn = events[^1];

        Assert.Empty(Keys(signIn).Except(Keys(example)));
        Assert.Equal(
            ["actor", "authenticationContext", "client", "debugContext", "displayMessage", "eventType", "legacyEventType", "outcome", "published", "request", "securityContext", "severity", "target", "transaction", "uuid", "version"],
            Keys(signIn));
        Assert.Equal(["alternateId", "displayName", "id", "type"], Keys(signIn["actor"]));
        Assert.Equal(("alice@example.com", "Alice Example"), (signIn["actor"]!["alternateId"]!.GetValue<string>(), signIn["actor"]!["displayName"]!.GetValue<string>()));
        Assert.Empty(Keys(signIn["client"]).Except(Keys(example["client"])));
        Assert.Empty(Keys(signIn["client"]!["geographicalContext"]).Except(Keys(example["client"]!["geographicalContext"])));
        Assert.Equal(("User login to Okta", "SUCCESS", "INFO", "0"), (
            signIn["displayMessage"]!.GetValue<string>(), signIn["outcome"]!["result"]!.GetValue<string>(),
            signIn["severity"]!.GetValue<string>(), signIn["version"]!.GetValue<string>()));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", signIn["uuid"]!.GetValue<string>());
        Assert.Equal(signIn["client"]!["ipAddress"]!.GetValue<string>(), signIn["request"]!["ipChain"]![0]!["ip"]!.GetValue<string>());
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Empty(await validator.ValidateComponentAsync("LogEvent", signIn));
        // The check can fail: Okta's severities are DEBUG, ERROR, INFO and WARN, and detailEntry is not nullable.
        Assert.NotEmpty(await validator.ValidateComponentAsync("LogEvent", new JsonObject { ["severity"] = "LOUD" }));
        Assert.NotEmpty(await validator.ValidateComponentAsync("LogEvent", new JsonObject { ["actor"] = new JsonObject { ["detailEntry"] = null } }));
    }

    [Fact]
    public async Task The_seeded_log_is_the_same_in_every_sandbox_started_at_the_same_time()
    {
        await using var other = await OktaSandbox.StartNewAsync(timeProvider: new FakeTimeProvider(Start), cancellationToken: Ct);
        using var otherHttp = Client(other);

        var (_, mine) = await LogsAsync("");
        using var theirs = await otherHttp.GetAsync("api/v1/logs", Ct);

        Assert.Equal(new JsonArray([.. mine.Select(e => e.DeepClone())]).ToJsonString(), (await JsonAsync(theirs)).ToJsonString());
    }

    [Fact]
    public async Task A_reset_is_logged_with_the_API_tokens_admin_as_actor_and_the_user_as_target()
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);

        var (response, events) = await LogsAsync("filter=" + Filter($"target.id eq \"{OktaSandboxSeed.AliceId}\" and eventType eq \"user.mfa.factor.reset_all\""));
        var reset = Assert.Single(events);

        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.Equal((OktaSandboxSeed.ServiceAdminId, "User", OktaSandboxSeed.ServiceAdminLogin), (
            reset["actor"]!["id"]!.GetValue<string>(), reset["actor"]!["type"]!.GetValue<string>(), reset["actor"]!["alternateId"]!.GetValue<string>()));
        var target = Assert.Single(reset["target"]!.AsArray())!;
        Assert.Equal((OktaSandboxSeed.AliceId, "User", "alice@example.com", "Alice Example"), (
            target["id"]!.GetValue<string>(), target["type"]!.GetValue<string>(), target["alternateId"]!.GetValue<string>(), target["displayName"]!.GetValue<string>()));
        Assert.Equal(Start.AddMinutes(1), Published(reset));
        Assert.Equal(UserAgent, reset["client"]!["userAgent"]!["rawUserAgent"]!.GetValue<string>());
        Assert.Equal($"/api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", reset["debugContext"]!["debugData"]!["requestUri"]!.GetValue<string>());
        Assert.Equal(SandboxSystemLog.ApiTokenId, reset["transaction"]!["detail"]!["requestApiTokenId"]!.GetValue<string>());
        var (_, byAlice) = await LogsAsync("filter=" + Filter($"actor.id eq \"{OktaSandboxSeed.AliceId}\" and eventType sw \"user.mfa\""));
        Assert.Empty(byAlice);
    }

    [Fact]
    public async Task Activation_unenrolment_and_session_revocation_are_logged_as_Okta_names_them()
    {
        var totp = await JsonAsync(await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors",
            JsonContent("""{"factorType":"token:software:totp","provider":"GOOGLE"}"""), Ct));
        var id = totp["id"]!.GetValue<string>();
        var code = SandboxTotp.Code(totp["_embedded"]!["activation"]!["sharedSecret"]!.GetValue<string>(), _time.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors/{id}/lifecycle/activate", JsonContent($$"""{"passCode":"{{code}}"}"""), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _http.DeleteAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/sessions?oauthTokens=true", Ct)).StatusCode);

        var (response, events) = await LogsAsync("filter=" + Filter($"target.id eq \"{OktaSandboxSeed.DaveId}\""));

        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.Equal(["user.mfa.factor.activate", "user.mfa.factor.deactivate", "user.session.clear"], events.Select(e => e["eventType"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(OktaSandboxSeed.ServiceAdminId, e["actor"]!["id"]!.GetValue<string>()));
        Assert.All(events.Take(2), e => Assert.Contains(id, e["target"]!.AsArray().Select(t => t!["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_test_can_add_an_event_and_it_is_found_by_actor_and_time()
    {
        var at = Start.AddMinutes(-30);
        _sandbox.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.AliceId, "User accessing Okta admin app")
        {
            Published = at,
            Country = "Germany",
            NewCountry = true,
            TargetIds = [OktaSandboxSeed.CarolId],
            OutcomeResult = "FAILURE",
        });

        var since = Uri.EscapeDataString(Start.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        var (response, events) = await LogsAsync($"since={since}&filter=" + Filter($"actor.id eq \"{OktaSandboxSeed.AliceId}\""));
        var added = Assert.Single(events);

        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.Equal(("user.session.access_admin_app", "User accessing Okta admin app", "FAILURE"), (
            added["eventType"]!.GetValue<string>(), added["displayMessage"]!.GetValue<string>(), added["outcome"]!["result"]!.GetValue<string>()));
        Assert.Equal(at, Published(added));
        Assert.Equal(("Germany", "Berlin"), (added["client"]!["geographicalContext"]!["country"]!.GetValue<string>(), added["client"]!["geographicalContext"]!["city"]!.GetValue<string>()));
        Assert.Contains("New Country=POSITIVE", added["debugContext"]!["debugData"]!["behaviors"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((OktaSandboxSeed.CarolId, "User", "carol@example.com"), (
            added["target"]![0]!["id"]!.GetValue<string>(), added["target"]![0]!["type"]!.GetValue<string>(), added["target"]![0]!["alternateId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_added_event_without_a_time_is_published_now_and_without_NewCountry_carries_no_behaviours()
    {
        _sandbox.AddLogEvent(new SandboxLogEntry("policy.lifecycle.update", OktaSandboxSeed.CarolId, "Update policy"));

        var (_, events) = await LogsAsync("filter=" + Filter("eventType eq \"policy.lifecycle.update\""));
        var added = Assert.Single(events);

        Assert.Equal(Start, Published(added));
        Assert.Null(added["debugContext"]!["debugData"]!["behaviors"]);
        Assert.Empty(added["target"]!.AsArray());
        Assert.Equal("SUCCESS", added["outcome"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_combine_with_and_or_and_parentheses()
    {
        _sandbox.AddLogEvent(new SandboxLogEntry("user.account.privilege.grant", OktaSandboxSeed.AliceId, "Grant user privilege") { TargetIds = [OktaSandboxSeed.AliceId] });
        _sandbox.AddLogEvent(new SandboxLogEntry("system.idp.lifecycle.create", OktaSandboxSeed.AliceId, "Create IdP"));
        _sandbox.AddLogEvent(new SandboxLogEntry("user.account.privilege.grant", OktaSandboxSeed.BobId, "Grant user privilege"));

        var (_, events) = await LogsAsync("filter=" + Filter(
            $"actor.id eq \"{OktaSandboxSeed.AliceId}\" and (eventType sw \"user.account.privilege\" OR eventType eq \"system.idp.lifecycle.create\")"));
        var (_, precedence) = await LogsAsync("filter=" + Filter(
            $"eventType eq \"system.idp.lifecycle.create\" or eventType eq \"user.account.privilege.grant\" and actor.id eq \"{OktaSandboxSeed.BobId}\""));

        Assert.Equal(["user.account.privilege.grant", "system.idp.lifecycle.create"], events.Select(e => e["eventType"]!.GetValue<string>()));
        Assert.Equal([OktaSandboxSeed.AliceId, OktaSandboxSeed.BobId], precedence.Select(e => e["actor"]!["id"]!.GetValue<string>()));
        var (_, nested) = await LogsAsync("filter=" + Filter("((((eventType eq \"system.idp.lifecycle.create\"))))"));
        Assert.Single(nested);
    }

    /// <summary>A filter the sandbox ignored would answer everything: a watch window would see events that do not belong to its user.</summary>
    [Theory]
    [InlineData("actor.id co \"00u\"")]
    [InlineData("published gt \"2026-12-01T00:00:00.000Z\"")]
    [InlineData("actor.displayName eq \"Alice Example\"")]
    [InlineData("actor.id eq 00ub0oNGTSWTBKOLGLNR")]
    [InlineData("not (eventType eq \"user.session.start\")")]
    [InlineData("eventType eq \"user.session.start\" and")]
    [InlineData("(eventType eq \"user.session.start\"")]
    [InlineData("eventType eq \"user.session.start\")")]
    [InlineData("eventType eq \"unterminated")]
    [InlineData("eventType pr")]
    [InlineData("eventType[value eq \"x\"]")]
    [InlineData("ACTOR.ID eq \"00ub0oNGTSWTBKOLGLNR\"")]
    [InlineData(" ")]
    [InlineData("(((((((((((((((((eventType eq \"x\")))))))))))))))))")]
    public async Task A_filter_the_sandbox_does_not_understand_is_refused_400_E0000031(string filter)
    {
        using var response = await _http.GetAsync("api/v1/logs?filter=" + Uri.EscapeDataString(filter), Ct);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.Equal(("E0000031", "Invalid search criteria."), (body["errorCode"]!.GetValue<string>(), body["errorSummary"]!.GetValue<string>()));
        Assert.StartsWith("filter: ", body["errorCauses"]![0]!["errorSummary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("since=yesterday")]
    [InlineData("since=2026-12-03")]
    [InlineData("since=2026-12-03T10:00:00")]
    [InlineData("until=1701600000")]
    [InlineData("until=2026-13-03T10:00:00Z")]
    public async Task Since_and_until_must_be_ISO_8601_timestamps_else_400_E0000030(string query)
    {
        using var response = await _http.GetAsync("api/v1/logs?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.Equal("E0000030", (await JsonAsync(response))["errorCode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit=1001")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("sortOrder=descending")]
    [InlineData("since=2026-12-03T10:00:00Z&until=2026-12-02T10:00:00Z")]
    [InlineData("q=")]
    [InlineData("q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k")]
    public async Task Other_parameters_outside_Oktas_rules_are_refused_400_E0000001(string query)
    {
        using var response = await _http.GetAsync("api/v1/logs?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertMatchesOktaAsync("listLogEvents", response);
        Assert.Equal("E0000001", (await JsonAsync(response))["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Since_until_bound_the_events_and_the_default_is_the_last_seven_days()
    {
        _sandbox.AddLogEvent(new SandboxLogEntry("user.session.start", OktaSandboxSeed.DaveId, "User login to Okta") { Published = Start.AddDays(-8) });
        var dayAgo = Uri.EscapeDataString("2026-12-02T10:00:00.000Z");
        var twoHoursAgo = Uri.EscapeDataString("2026-12-03T08:00:00+00:00");

        var (_, all) = await LogsAsync("");
        var (_, bounded) = await LogsAsync($"since={dayAgo}&until={twoHoursAgo}");
        var (_, old) = await LogsAsync($"since={Uri.EscapeDataString("2026-11-20T00:00:00Z")}&filter=" + Filter($"actor.id eq \"{OktaSandboxSeed.DaveId}\""));

        Assert.All(all, e => Assert.InRange(Published(e), Start.AddDays(-7), Start));
        Assert.NotEmpty(bounded);
        Assert.True(bounded.Count < all.Count);
        Assert.All(bounded, e => Assert.InRange(Published(e), Start.AddDays(-1), Start.AddHours(-2)));
        Assert.Contains(old, e => Published(e) == Start.AddDays(-8));
    }

    [Fact]
    public async Task SortOrder_limit_and_the_Link_header_page_through_the_log()
    {
        var (_, ascending) = await LogsAsync("");
        var (_, descending) = await LogsAsync("sortOrder=DESCENDING");
        using var first = await _http.GetAsync("api/v1/logs?limit=2", Ct);
        var next = NextLink(first);
        using var second = await _http.GetAsync(next, Ct);

        Assert.True(ascending.Count > 4);
        Assert.Equal(ascending.Select(Published).Order(), ascending.Select(Published));
        Assert.Equal(ascending.Select(e => e["uuid"]!.GetValue<string>()).Reverse(), descending.Select(e => e["uuid"]!.GetValue<string>()));
        var page1 = (await JsonAsync(first)).AsArray();
        var page2 = (await JsonAsync(second)).AsArray();
        Assert.Equal(ascending.Take(4).Select(e => e["uuid"]!.GetValue<string>()), page1.Concat(page2).Select(e => e!["uuid"]!.GetValue<string>()));
        Assert.StartsWith(_sandbox.BaseUrl!.GetLeftPart(UriPartial.Authority) + "/api/v1/logs?limit=2&after=", next, StringComparison.Ordinal);
        using var last = await _http.GetAsync($"api/v1/logs?limit={ascending.Count}", Ct);
        Assert.Null(NextLink(last));
        using var forged = await _http.GetAsync("api/v1/logs?after=not-a-cursor", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("E0000029", (await JsonAsync(forged))["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Q_keywords_match_case_insensitively_across_the_event()
    {
        var (_, germany) = await LogsAsync("q=germany");
        var (_, both) = await LogsAsync("q=GERMANY%20carol");
        var (_, none) = await LogsAsync("q=germany%20alice");

        Assert.Equal(OktaSandboxSeed.CarolId, Assert.Single(germany)["actor"]!["id"]!.GetValue<string>());
        Assert.Single(both);
        Assert.Empty(none);
    }

    [Fact]
    public async Task The_log_request_the_watch_window_sends_matches_the_official_description()
    {
        await LogsAsync($"since={Uri.EscapeDataString("2026-12-03T09:00:00.000Z")}&limit=1000&sortOrder=ASCENDING&filter=" + Filter($"actor.id eq \"{OktaSandboxSeed.AliceId}\""));

        Assert.Equal("listLogEvents", Assert.Single(_sandbox.Requests).OperationId);
        await AssertRequestsMatchOktaAsync(_sandbox);
    }

    private static string Filter(string expression) => Uri.EscapeDataString(expression);

    private static DateTimeOffset Published(JsonNode? e) => DateTimeOffset.Parse(e!["published"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static string? NextLink(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Link", out var values)
            ? values.SelectMany(v => v.Split(", ")).Where(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal))
                .Select(l => l[1..l.IndexOf('>', StringComparison.Ordinal)]).SingleOrDefault()
            : null;

    private async Task<(HttpResponseMessage Response, List<JsonNode> Events)> LogsAsync(string query)
    {
        var response = await _http.GetAsync("api/v1/logs" + (query.Length > 0 ? "?" + query : ""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (response, [.. JsonNode.Parse(text)!.AsArray().Select(e => e!)]);
    }
}
