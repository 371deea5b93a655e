using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// Issue 12 point 4: the bot's OAuth client (private_key_jwt + DPoP) against the sandbox in PrivateKey mode, which
/// checks the token request and every API call as RFC 7523, RFC 9449 and Okta describe them; and the attacks a
/// stolen token, proof or assertion would try.
/// </summary>
public sealed class OktaPrivateKeyClientTests : IAsyncLifetime
{
    private readonly OktaPrivateKeyKit _kit = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private OktaSandbox _sandbox = null!;
    private IHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OktaClient Client => _host.Services.GetRequiredService<OktaClient>();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(_kit.SandboxOptions(TimeSpan.FromMinutes(10)), _time, Ct);
        _host = OktaTestHost.Build(_kit.PointedAt(_sandbox), _time);
        await _host.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        await _sandbox.DisposeAsync();
        _kit.Dispose();
    }

    private IReadOnlyList<RecordedOktaRequest> TokenRequests => [.. _sandbox.Requests.Where(r => r.OperationId == OktaSandbox.TokenOperation)];

    private IReadOnlyList<RecordedOktaRequest> ApiRequests => [.. _sandbox.Requests.Where(r => r.OperationId != OktaSandbox.TokenOperation)];

    [Fact]
    public async Task The_token_request_is_client_credentials_with_a_private_key_jwt_assertion_after_the_nonce_dance()
    {
        var result = await Client.GetUserAsync("alice@example.com", Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tokenUrl = new Uri(_sandbox.BaseUrl!, "oauth2/v1/token");
        // First without a nonce (400 use_dpop_nonce + DPoP-Nonce), then once more with it.
        Assert.Equal(2, TokenRequests.Count);
        Assert.Equal(1, _sandbox.AccessTokensIssued);
        var assertionIds = new HashSet<string>();
        foreach (var request in TokenRequests)
        {
            Assert.Equal("POST", request.Method);
            Assert.Null(request.Header("Authorization"));
            Assert.StartsWith("application/x-www-form-urlencoded", request.Header("Content-Type"), StringComparison.Ordinal);
            var form = OktaPrivateKeyKit.Form(request);
            // Okta's service-app token request: exactly these four fields (the client is named by the assertion).
            Assert.Equal(["client_assertion", "client_assertion_type", "grant_type", "scope"], form.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("client_credentials", form["grant_type"]);
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form["client_assertion_type"]);
            Assert.Equal(string.Join(' ', OktaPrivateKeyKit.BotScopes), form["scope"]);

            // RFC 7523 section 3.
            var (header, claims) = OktaPrivateKeyKit.Read(form["client_assertion"]);
            Assert.Equal("RS256", header["alg"]!.GetValue<string>());
            Assert.Equal(OktaPrivateKeyKit.KeyId, header["kid"]!.GetValue<string>());
            Assert.Equal(OktaPrivateKeyKit.ClientId, claims["iss"]!.GetValue<string>());
            Assert.Equal(OktaPrivateKeyKit.ClientId, claims["sub"]!.GetValue<string>());
            Assert.Equal(tokenUrl.ToString(), claims["aud"]!.GetValue<string>());
            var lifetime = OktaPrivateKeyKit.Seconds(claims, "exp") - _time.GetUtcNow().ToUnixTimeSeconds();
            Assert.InRange(lifetime, 1, 300);
            Assert.True(assertionIds.Add(claims["jti"]!.GetValue<string>()), "each assertion has its own jti");

            // RFC 9449 section 4.2, for the token endpoint (no ath).
            var (proofHeader, proof) = OktaPrivateKeyKit.Read(request.Header("DPoP")!);
            Assert.Equal("dpop+jwt", proofHeader["typ"]!.GetValue<string>());
            Assert.Equal("ES256", proofHeader["alg"]!.GetValue<string>());
            Assert.Equal("EC", proofHeader["jwk"]!["kty"]!.GetValue<string>());
            Assert.Null(proofHeader["jwk"]!["d"]);
            Assert.Equal(("POST", tokenUrl.ToString()), (proof["htm"]!.GetValue<string>(), proof["htu"]!.GetValue<string>()));
            Assert.Null(proof["ath"]);
        }

        Assert.Null(OktaPrivateKeyKit.Read(TokenRequests[0].Header("DPoP")!).Payload["nonce"]);
        Assert.NotNull(OktaPrivateKeyKit.Read(TokenRequests[1].Header("DPoP")!).Payload["nonce"]);
    }

    [Fact]
    public async Task Api_calls_carry_a_DPoP_token_and_a_proof_for_their_own_method_and_url_with_ath()
    {
        var alice = (await Client.GetUserAsync("alice@example.com", Ct)).Value!;
        Assert.True((await Client.ListFactorsAsync(alice.Id, Ct)).IsSuccess);

        var calls = ApiRequests;
        Assert.Equal(2, calls.Count);
        var jtis = new HashSet<string>();
        foreach (var call in calls)
        {
            var authorization = call.Header("Authorization")!;
            Assert.StartsWith("DPoP ", authorization, StringComparison.Ordinal);
            var (_, proof) = OktaPrivateKeyKit.Read(call.Header("DPoP")!);
            Assert.Equal(call.Method, proof["htm"]!.GetValue<string>());
            Assert.Equal(new Uri(_sandbox.BaseUrl!, call.Path).ToString(), proof["htu"]!.GetValue<string>());
            Assert.Equal(OktaPrivateKeyKit.B64(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(authorization["DPoP ".Length..]))), proof["ath"]!.GetValue<string>());
            Assert.True(jtis.Add(proof["jti"]!.GetValue<string>()));
            Assert.DoesNotContain(call.Headers, h => h.Value.Contains("SSWS", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task The_token_is_fetched_once_for_concurrent_callers_and_reused_until_shortly_before_it_expires()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.GetUserAsync("alice@example.com", Ct)));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(1, _sandbox.AccessTokensIssued);
        var token = Assert.Single(ApiRequests.Select(r => r.Header("Authorization")).Distinct());

        // 10-minute tokens are replaced 60 s before expires_in: still the same at 8 min 59 s, a new one at 9 min 1 s.
        _time.Advance(TimeSpan.FromSeconds(539));
        Assert.True((await Client.GetUserAsync("bob@example.com", Ct)).IsSuccess);
        Assert.Equal(1, _sandbox.AccessTokensIssued);
        Assert.Equal(token, ApiRequests[^1].Header("Authorization"));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await Client.GetUserAsync("bob@example.com", Ct)).IsSuccess);
        Assert.Equal(2, _sandbox.AccessTokensIssued);
        Assert.NotEqual(token, ApiRequests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task When_the_api_demands_a_nonce_the_call_is_retried_once_with_it()
    {
        Assert.True((await Client.GetUserAsync("alice@example.com", Ct)).IsSuccess);
        _sandbox.DemandApiNonce();
        _sandbox.ClearRequests();

        var result = await Client.GetUserAsync("bob@example.com", Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var calls = ApiRequests;
        Assert.Equal(2, calls.Count);
        Assert.Null(OktaPrivateKeyKit.Read(calls[0].Header("DPoP")!).Payload["nonce"]);
        Assert.NotNull(OktaPrivateKeyKit.Read(calls[1].Header("DPoP")!).Payload["nonce"]);
        Assert.NotEqual(calls[0].Header("DPoP"), calls[1].Header("DPoP"));

        // The nonce is remembered: the next call needs no second try.
        _sandbox.ClearRequests();
        Assert.True((await Client.GetUserAsync("carol@example.com", Ct)).IsSuccess);
        Assert.Single(ApiRequests);
    }

    [Fact]
    public async Task A_token_okta_stops_accepting_early_is_replaced_once_and_the_call_goes_through()
    {
        Assert.True((await Client.GetUserAsync("alice@example.com", Ct)).IsSuccess);
        var first = ApiRequests[^1].Header("Authorization");
        _sandbox.ExpireAccessTokens();

        var result = await Client.GetUserAsync("bob@example.com", Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, _sandbox.AccessTokensIssued);
        Assert.Equal(first, ApiRequests[^2].Header("Authorization"));
        Assert.NotEqual(first, ApiRequests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task A_changed_token_endpoint_nonce_costs_one_refused_request_and_the_new_nonce_is_used()
    {
        Assert.True((await Client.GetUserAsync("alice@example.com", Ct)).IsSuccess);
        var oldNonce = OktaPrivateKeyKit.Read(TokenRequests[^1].Header("DPoP")!).Payload["nonce"]!.GetValue<string>();
        _sandbox.RotateTokenEndpointNonce();
        _time.Advance(TimeSpan.FromMinutes(10));
        _sandbox.ClearRequests();

        Assert.True((await Client.GetUserAsync("bob@example.com", Ct)).IsSuccess);

        Assert.Equal(2, _sandbox.AccessTokensIssued);
        var nonces = TokenRequests.Select(r => OktaPrivateKeyKit.Read(r.Header("DPoP")!).Payload["nonce"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, nonces.Length);
        Assert.Equal(oldNonce, nonces[0]);
        Assert.NotEqual(oldNonce, nonces[1]);
    }

    [Fact]
    public async Task A_replayed_proof_is_refused()
    {
        Assert.True((await Client.GetUserAsync("alice@example.com", Ct)).IsSuccess);
        var seen = ApiRequests[^1];

        using var replay = await SendAsync(HttpMethod.Get, seen.PathAndQuery, seen.Header("Authorization"), seen.Header("DPoP"));

        await AssertDpopRefusalAsync(replay, HttpStatusCode.Unauthorized, "invalid_dpop_proof", "already been used");
    }

    [Fact]
    public async Task A_proof_for_another_method_or_url_is_refused_and_nothing_changes()
    {
        var alice = (await Client.GetUserAsync("alice@example.com", Ct)).Value!;
        Assert.True((await Client.ListFactorsAsync(alice.Id, Ct)).IsSuccess);
        var factorsBefore = _sandbox.FactorsOf(alice.Id)!.Count;
        var getUser = ApiRequests[0];
        var listFactors = ApiRequests[1];

        // A stolen token with a proof made for a read, sent to the reset.
        using var otherMethod = await SendAsync(HttpMethod.Post, $"/api/v1/users/{alice.Id}/lifecycle/reset_factors", getUser.Header("Authorization"), listFactors.Header("DPoP"));
        await AssertDpopRefusalAsync(otherMethod, HttpStatusCode.Unauthorized, "invalid_dpop_proof", "htm");
        Assert.Equal(factorsBefore, _sandbox.FactorsOf(alice.Id)!.Count);

        // The attacker's own fresh proof for the right method, but signed to another URL.
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = getUser.Header("Authorization")!["DPoP ".Length..];
        var wrongUrl = OktaPrivateKeyKit.Proof(attacker, "GET", new Uri(_sandbox.BaseUrl!, "api/v1/users/me"), _time.GetUtcNow(), accessToken: token);
        using var otherUrl = await SendAsync(HttpMethod.Get, $"/api/v1/users/{alice.Id}/factors", getUser.Header("Authorization"), wrongUrl);
        await AssertDpopRefusalAsync(otherUrl, HttpStatusCode.Unauthorized, "invalid_dpop_proof", "htu");
    }

    [Fact]
    public async Task A_stolen_token_is_useless_without_the_bots_dpop_key_or_as_a_bearer_token()
    {
        var alice = (await Client.GetUserAsync("alice@example.com", Ct)).Value!;
        var stolen = ApiRequests[0].Header("Authorization")!["DPoP ".Length..];
        var path = $"/api/v1/users/{alice.Id}/lifecycle/reset_factors";
        var factorsBefore = _sandbox.FactorsOf(alice.Id)!.Count;

        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ownProof = OktaPrivateKeyKit.Proof(attacker, "POST", new Uri(_sandbox.BaseUrl!, path.TrimStart('/')), _time.GetUtcNow(), accessToken: stolen);
        using var withOwnKey = await SendAsync(HttpMethod.Post, path, "DPoP " + stolen, ownProof);
        await AssertDpopRefusalAsync(withOwnKey, HttpStatusCode.Unauthorized, "invalid_dpop_proof", "bound to");

        using var asBearer = await SendAsync(HttpMethod.Post, path, "Bearer " + stolen, null);
        await AssertDpopRefusalAsync(asBearer, HttpStatusCode.Unauthorized, "invalid_token", "DPoP scheme");

        Assert.Equal(factorsBefore, _sandbox.FactorsOf(alice.Id)!.Count);
    }

    [Fact]
    public async Task An_ssws_token_is_refused_when_the_org_requires_oauth()
    {
        using var response = await SendAsync(HttpMethod.Get, "/api/v1/users/alice@example.com", "SSWS " + OktaSandboxOptions.DefaultToken, null);

        var body = await AssertDpopRefusalAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "DPoP scheme");
        Assert.Equal("E0000011", body["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replayed_client_assertion_is_refused_even_with_a_fresh_proof()
    {
        Assert.True((await Client.GetUserAsync("alice@example.com", Ct)).IsSuccess);
        var accepted = TokenRequests[^1];
        var nonce = OktaPrivateKeyKit.Read(accepted.Header("DPoP")!).Payload["nonce"]!.GetValue<string>();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tokenUrl = new Uri(_sandbox.BaseUrl!, "oauth2/v1/token");

        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new StringContent(accepted.Body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("DPoP", OktaPrivateKeyKit.Proof(attacker, "POST", tokenUrl, _time.GetUtcNow(), nonce));
        using var http = new HttpClient();
        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("invalid_client", body["error"]!.GetValue<string>());
        Assert.Contains("already been used", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, _sandbox.AccessTokensIssued);
    }

    [Fact]
    public async Task A_token_request_signed_with_another_key_is_refused_and_the_bot_reports_it_without_key_material()
    {
        using var otherKit = new OktaPrivateKeyKit();
        using var impostor = OktaTestHost.Build(otherKit.PointedAt(_sandbox), _time);
        await impostor.StartAsync(Ct);

        var result = await impostor.Services.GetRequiredService<OktaClient>().GetUserAsync("alice@example.com", Ct);

        var error = result.Error!;
        Assert.Equal((401, "E0000011"), (error.StatusCode, error.ErrorCode));
        Assert.Contains("invalid_client", error.ErrorSummary, StringComparison.Ordinal);
        Assert.Contains("signature is invalid", error.ErrorSummary, StringComparison.Ordinal);
        Assert.All(otherKit.PrivateMembers, m => Assert.DoesNotContain(m, error.ToString(), StringComparison.Ordinal));
        Assert.Equal(0, _sandbox.AccessTokensIssued);
        Assert.Empty(ApiRequests);
        await impostor.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scopes_the_service_app_was_not_granted_are_refused_at_the_token_endpoint()
    {
        var settings = _kit.PointedAt(_sandbox);
        settings["Okta:Client:Scopes:4"] = "okta.users.delete";
        using var greedy = OktaTestHost.Build(settings, _time);
        await greedy.StartAsync(Ct);

        var error = (await greedy.Services.GetRequiredService<OktaClient>().GetUserAsync("alice@example.com", Ct)).Error!;

        Assert.Contains("invalid_scope", error.ErrorSummary, StringComparison.Ordinal);
        Assert.Contains("okta.users.delete", error.ErrorSummary, StringComparison.Ordinal);
        Assert.Equal(0, _sandbox.AccessTokensIssued);
        await greedy.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_call_outside_the_tokens_scopes_is_refused_403()
    {
        var settings = _kit.PointedAt(_sandbox);
        settings.Remove("Okta:Client:Scopes:2"); // okta.roles.read
        settings.Remove("Okta:Client:Scopes:3");
        using var narrow = OktaTestHost.Build(settings, _time);
        await narrow.StartAsync(Ct);
        var client = narrow.Services.GetRequiredService<OktaClient>();

        var alice = (await client.GetUserAsync("alice@example.com", Ct)).Value!;
        var roles = await client.ListAssignedRoleTypesAsync(alice.Id, Ct);

        Assert.False(roles.IsSuccess);
        Assert.Equal((403, "E0000006"), (roles.Error!.StatusCode, roles.Error.ErrorCode));
        await narrow.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_sandbox_scope_table_is_the_one_in_oktas_description()
    {
        var yaml = new YamlDotNet.Serialization.DeserializerBuilder().Build()
            .Deserialize<Dictionary<object, object>>(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Specs, "okta", "management-minimal.yaml"), Ct));
        var described = new Dictionary<string, string[]>();
        foreach (var path in ((Dictionary<object, object>)yaml["paths"]).Values.Cast<Dictionary<object, object>>())
        {
            foreach (var operation in path.Values.OfType<Dictionary<object, object>>())
            {
                if (operation.TryGetValue("operationId", out var id) && operation.TryGetValue("security", out var security))
                {
                    var oauth = ((List<object>)security).Cast<Dictionary<object, object>>().SingleOrDefault(s => s.ContainsKey("oauth2"));
                    if (oauth is not null)
                    {
                        described[(string)id] = [.. ((List<object>)oauth["oauth2"]).Cast<string>()];
                    }
                }
            }
        }

        foreach (var (operation, scope) in SandboxScopes.ByOperation)
        {
            Assert.True(described.TryGetValue(operation, out var expected), operation);
            Assert.True(expected.SequenceEqual([scope]), $"{operation}: the description says {string.Join(", ", expected)}, the sandbox {scope}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? authorization, string? proof)
    {
        using var http = new HttpClient { BaseAddress = _sandbox.BaseUrl };
        var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        return await http.SendAsync(request, Ct);
    }

    private static async Task<JsonNode> AssertDpopRefusalAsync(HttpResponseMessage response, HttpStatusCode status, string error, string because)
    {
        Assert.Equal(status, response.StatusCode);
        AuthenticationHeaderValue challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("DPoP", challenge.Scheme);
        Assert.Contains($"error=\"{error}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains(because, challenge.Parameter, StringComparison.Ordinal);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }
}
