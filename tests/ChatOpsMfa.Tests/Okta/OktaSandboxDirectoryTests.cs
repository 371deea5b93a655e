using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using static ChatOpsMfa.Tests.Okta.OktaSandboxTestKit;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// The sandbox directory for issue 11: user search (listUsers' <c>search</c>, <c>filter</c> and <c>q</c>) over base
/// and custom profile attributes, <c>managerId</c> in the seed, Okta Verify push for both help-desk approvers, and
/// revokeUserSessions' boolean parameters and record. Refusals carry Okta's codes; answers fit the official schemas.
/// </summary>
public sealed class OktaSandboxDirectoryTests : IAsyncLifetime
{
    private OktaSandbox _sandbox = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(cancellationToken: Ct);
        _http = Client(_sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Theory]
    [InlineData(OktaSandboxSeed.AliceId, OktaSandboxSeed.DaveId, "dave@example.com")]
    [InlineData(OktaSandboxSeed.BobId, OktaSandboxSeed.CarolId, "carol@example.com")]
    [InlineData(OktaSandboxSeed.ErinId, OktaSandboxSeed.CarolId, "carol@example.com")]
    public async Task GetUser_names_the_manager_by_Okta_id_and_login(string userId, string managerId, string manager)
    {
        using var response = await _http.GetAsync($"api/v1/users/{userId}", Ct);
        var profile = (await JsonAsync(response))["profile"]!;

        await AssertMatchesOktaAsync("getUser", response);
        Assert.Equal((managerId, manager), (profile["managerId"]!.GetValue<string>(), profile["manager"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Both_help_desk_approvers_have_an_active_Okta_Verify_push()
    {
        Assert.Contains(_sandbox.FactorsOf(OktaSandboxSeed.BobId)!, f => (f.FactorType, f.Provider, f.Status) == ("push", "OKTA", "ACTIVE"));
        Assert.Contains(_sandbox.FactorsOf(OktaSandboxSeed.ErinId)!, f => (f.FactorType, f.Provider, f.Status) == ("push", "OKTA", "ACTIVE"));
        using var response = await _http.GetAsync($"api/v1/users/{OktaSandboxSeed.ErinId}/factors", Ct);
        await AssertMatchesOktaAsync("listFactors", response);
        var push = Assert.Single((await JsonAsync(response)).AsArray())!;
        Assert.EndsWith("/verify", push["_links"]!["verify"]!["href"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_profile_attribute_appears_in_getUser_and_is_found_by_search_case_insensitively()
    {
        _sandbox.SetProfileAttribute(OktaSandboxSeed.BobId, "slackUserId", "UBOB1234");
        _sandbox.SetProfileAttribute(OktaSandboxSeed.ErinId, "slackUserId", "UERIN567");

        using var user = await _http.GetAsync($"api/v1/users/{OktaSandboxSeed.BobId}", Ct);
        using var search = await _http.GetAsync("api/v1/users?search=" + Uri.EscapeDataString("profile.slackUserId eq \"ubob1234\""), Ct);
        var found = (await JsonAsync(search)).AsArray();

        Assert.Equal("UBOB1234", (await JsonAsync(user))["profile"]!["slackUserId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        await AssertMatchesOktaAsync("listUsers", search);
        var bob = Assert.Single(found)!;
        Assert.Equal((await JsonAsync(await _http.GetAsync($"api/v1/users/{OktaSandboxSeed.BobId}", Ct))).ToJsonString(), bob.ToJsonString());
    }

    [Fact]
    public async Task Search_matches_base_attributes_and_combines_with_and_or()
    {
        var (_, it) = await UsersAsync("search=" + Uri.EscapeDataString("profile.department eq \"IT\""));
        var (_, itAnalysts) = await UsersAsync("search=" + Uri.EscapeDataString("profile.department eq \"IT\" and profile.title sw \"Service\""));
        var (_, byManager) = await UsersAsync("search=" + Uri.EscapeDataString($"profile.managerId eq \"{OktaSandboxSeed.DaveId}\" or id eq \"{OktaSandboxSeed.DaveId}\""));
        var (_, nobody) = await UsersAsync("search=" + Uri.EscapeDataString("profile.department eq \"Legal\""));

        Assert.Equal(new[] { OktaSandboxSeed.BobId, OktaSandboxSeed.CarolId, OktaSandboxSeed.ErinId }.Order(StringComparer.Ordinal), Ids(it).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { OktaSandboxSeed.BobId, OktaSandboxSeed.ErinId }.Order(StringComparer.Ordinal), Ids(itAnalysts).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { OktaSandboxSeed.AliceId, OktaSandboxSeed.DaveId }.Order(StringComparer.Ordinal), Ids(byManager).Order(StringComparer.Ordinal));
        Assert.Empty(nobody);
    }

    /// <summary>Identity binding reads a chat id from a profile attribute: a search the sandbox ignored would bind to the first user it lists.</summary>
    [Theory]
    [InlineData("search=profile.slackUserId%20eq%20%22UBOB1234%22", "E0000031")] // no profile has the attribute
    [InlineData("search=profile.department%20co%20%22I%22", "E0000031")]
    [InlineData("search=profile.department%20eq%20IT", "E0000031")]
    [InlineData("search=department%20eq%20%22IT%22", "E0000031")]
    [InlineData("search=", "E0000031")]
    [InlineData("filter=profile.title%20eq%20%22IT%20Director%22", "E0000031")]
    [InlineData("filter=profile.login%20sw%20%22alice%22", "E0000031")]
    [InlineData("search=id%20eq%20%22x%22&filter=id%20eq%20%22x%22", "E0000033")]
    [InlineData("q=al&search=id%20eq%20%22x%22", "E0000033")]
    [InlineData("search=id%20eq%20%22x%22&sortBy=profile.lastName", "E0000001")]
    [InlineData("fields=id", "E0000001")]
    [InlineData("limit=0", "E0000001")]
    [InlineData("limit=201", "E0000001")]
    [InlineData("after=00u000000000000NOPE", "E0000029")]
    public async Task A_user_query_the_sandbox_does_not_understand_is_refused_400_with_Oktas_code(string query, string errorCode)
    {
        using var response = await _http.GetAsync("api/v1/users?" + query, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertOktaErrorAsync(response, errorCode);
    }

    [Fact]
    public async Task Filter_takes_profile_login_case_sensitively_as_Oktas_description_says()
    {
        var (response, alice) = await UsersAsync("filter=" + Uri.EscapeDataString("profile.login eq \"alice@example.com\""));
        var (_, shouted) = await UsersAsync("filter=" + Uri.EscapeDataString("profile.login eq \"ALICE@example.com\""));
        var (_, active) = await UsersAsync("filter=" + Uri.EscapeDataString("status eq \"ACTIVE\""));

        await AssertMatchesOktaAsync("listUsers", response);
        Assert.Equal([OktaSandboxSeed.AliceId], Ids(alice));
        Assert.Empty(shouted);
        Assert.Equal(5, active.Count);
    }

    [Fact]
    public async Task Q_finds_by_the_start_of_a_name_or_email_and_a_plain_list_leaves_out_deprovisioned_users()
    {
        _sandbox.AddUser("gone@example.com", "Gone", "Away", "DEPROVISIONED");

        var (_, q) = await UsersAsync("q=car");
        var (_, all) = await UsersAsync("");
        var (_, gone) = await UsersAsync("search=" + Uri.EscapeDataString("status eq \"DEPROVISIONED\""));

        Assert.Equal([OktaSandboxSeed.CarolId], Ids(q));
        Assert.Equal(5, all.Count);
        Assert.Equal("gone@example.com", Assert.Single(gone)["profile"]!["login"]!.GetValue<string>());
    }

    [Fact]
    public async Task Limit_and_the_Link_header_page_through_users()
    {
        var (_, all) = await UsersAsync("");
        var paged = new List<string>();
        var pages = 0;
        string? next = "api/v1/users?limit=2";
        while (next is not null)
        {
            using var page = await _http.GetAsync(next, Ct);
            var users = (await JsonAsync(page)).AsArray();
            Assert.InRange(users.Count, 1, 2);
            paged.AddRange(users.Select(u => u!["id"]!.GetValue<string>()));
            next = page.Headers.GetValues("Link").Single().Split(", ").Where(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal))
                .Select(l => l[1..l.IndexOf('>', StringComparison.Ordinal)]).SingleOrDefault();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Ids(all), paged);
    }

    [Fact]
    public void SetProfileAttribute_refuses_base_attributes_bad_names_and_unknown_users()
    {
        Assert.Throws<ArgumentException>(() => _sandbox.SetProfileAttribute(OktaSandboxSeed.BobId, "login", "mallory@example.com"));
        Assert.Throws<ArgumentException>(() => _sandbox.SetProfileAttribute(OktaSandboxSeed.BobId, "a.b", "x"));
        Assert.Throws<InvalidOperationException>(() => _sandbox.SetProfileAttribute("00u000000000000NOPE", "slackUserId", "U1"));
        Assert.Equal("bob@example.com", _sandbox.LoginOf(OktaSandboxSeed.BobId));
    }

    [Fact]
    public async Task User_search_requests_match_the_official_description()
    {
        _sandbox.SetProfileAttribute(OktaSandboxSeed.BobId, "teamsObjectId", "7f3c1f42-0000-4000-8000-000000000001");
        await UsersAsync("search=" + Uri.EscapeDataString("profile.teamsObjectId eq \"7f3c1f42-0000-4000-8000-000000000001\""));
        await UsersAsync("filter=" + Uri.EscapeDataString("profile.login eq \"bob@example.com\"") + "&limit=2");

        Assert.Equal(["listUsers", "listUsers"], _sandbox.Requests.Select(r => r.OperationId));
        await AssertRequestsMatchOktaAsync(_sandbox);
    }

    [Theory]
    [InlineData("?oauthTokens=true", true)]
    [InlineData("?oauthTokens=false&forgetDevices=false", false)]
    [InlineData("", false)]
    public async Task RevokeSessions_answers_204_and_is_recorded_with_whether_OAuth_tokens_went_too(string query, bool oauthTokens)
    {
        using var response = await _http.DeleteAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/sessions{query}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await AssertMatchesOktaAsync("revokeUserSessions", response);
        var revocation = Assert.Single(_sandbox.SessionRevocations(OktaSandboxSeed.AliceId));
        Assert.Equal(oauthTokens, revocation.OAuthTokens);
        Assert.Empty(_sandbox.SessionRevocations(OktaSandboxSeed.BobId));
        await AssertRequestsMatchOktaAsync(_sandbox);
    }

    [Theory]
    [InlineData("oauthTokens=yes")]
    [InlineData("oauthTokens=TRUE")]
    [InlineData("oauthTokens=1")]
    [InlineData("forgetDevices=maybe")]
    [InlineData("oauthTokens=true&oauthTokens=false")]
    public async Task RevokeSessions_with_a_non_boolean_parameter_is_refused_and_revokes_nothing(string query)
    {
        using var response = await _http.DeleteAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/sessions?{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertOktaErrorAsync(response, "E0000037");
        Assert.Empty(_sandbox.SessionRevocations(OktaSandboxSeed.AliceId));
        using var log = await _http.GetAsync("api/v1/logs?filter=" + Uri.EscapeDataString("eventType eq \"user.session.clear\""), Ct);
        Assert.Empty((await JsonAsync(log)).AsArray());
    }

    [Fact]
    public async Task RevokeSessions_for_an_unknown_user_is_404_E0000007()
    {
        using var response = await _http.DeleteAsync("api/v1/users/00u000000000000NOPE/sessions?oauthTokens=true", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertMatchesOktaAsync("revokeUserSessions", response);
        Assert.Empty(_sandbox.SessionRevocations("00u000000000000NOPE"));
    }

    private static List<string> Ids(List<JsonNode> users) => [.. users.Select(u => u["id"]!.GetValue<string>())];

    private async Task<(HttpResponseMessage Response, List<JsonNode> Users)> UsersAsync(string query)
    {
        var response = await _http.GetAsync("api/v1/users" + (query.Length > 0 ? "?" + query : ""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (response, [.. JsonNode.Parse(text)!.AsArray().Select(u => u!)]);
    }
}
