using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>The fake Okta over real HTTP, driven the way the workflow drives Okta (own SSWS header, official paths).</summary>
public sealed class OktaSandboxTests : IAsyncLifetime
{
    private OktaSandbox _sandbox = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _sandbox.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", _sandbox.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Sandbox_listens_on_loopback_only()
    {
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(_sandbox.BaseUrl!.Host.Trim('[', ']'))));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("localhost.example.com")]
    public async Task Sandbox_refuses_to_bind_to_a_non_loopback_address(string address)
    {
        var sandbox = new OktaSandbox(Options.Create(new OktaSandboxOptions { BindAddress = address }), TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sandbox.StartAsync(Ct));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
        Assert.Null(sandbox.BaseUrl);
    }

    [Fact]
    public async Task Reset_answers_200_with_an_empty_body_and_leaves_no_factors()
    {
        using var response = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(_sandbox.FactorsOf("alice@example.com")!);
    }

    [Fact]
    public async Task Enrol_after_reset_creates_a_pending_totp_with_a_fresh_id_and_secret()
    {
        await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);
        var request = (JsonObject)OktaTestFiles.Fixture("spec-examples/EnrollFactorGoogleRequest.json");
        var template = OktaTestFiles.Fixture("spec-examples/EnrollFactorGoogleResponse.json");

        var first = await EnrolAsync(OktaSandboxSeed.AliceId, request);
        await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);
        var second = await EnrolAsync(OktaSandboxSeed.AliceId, request);

        Assert.Equal("PENDING_ACTIVATION", first["status"]!.GetValue<string>());
        Assert.Equal("token:software:totp", first["factorType"]!.GetValue<string>());
        Assert.Equal("GOOGLE", first["provider"]!.GetValue<string>());
        Assert.StartsWith("ost", first["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(template["id"]!.GetValue<string>(), first["id"]!.GetValue<string>());
        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        var secret = first["_embedded"]!["activation"]!["sharedSecret"]!.GetValue<string>();
        Assert.Matches("^[A-Z2-7]{16}$", secret);
        Assert.NotEqual(template["_embedded"]!["activation"]!["sharedSecret"]!.GetValue<string>(), secret);
        Assert.NotEqual(secret, second["_embedded"]!["activation"]!["sharedSecret"]!.GetValue<string>());
        Assert.Contains(_sandbox.BaseUrl!.GetLeftPart(UriPartial.Authority), first["_links"]!["activate"]!["href"]!.GetValue<string>(), StringComparison.Ordinal);
        var factor = Assert.Single(_sandbox.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal((second["id"]!.GetValue<string>(), "PENDING_ACTIVATION"), (factor.Id, factor.Status));
    }

    [Fact]
    public async Task Enrolled_push_carries_the_activation_links_of_Oktas_example()
    {
        await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/lifecycle/reset_factors", null, Ct);

        var push = await EnrolAsync(OktaSandboxSeed.DaveId, (JsonObject)OktaTestFiles.Fixture("spec-examples/EnrollFactorOVPushRequest.json"));

        Assert.Equal("WAITING", push["_embedded"]!["activation"]!["factorResult"]!.GetValue<string>());
        Assert.NotNull(push["_links"]!["poll"]);
        Assert.Contains($"/users/{OktaSandboxSeed.DaveId}/", push["_links"]!["poll"]!["href"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activating_a_totp_with_the_current_code_makes_it_active()
    {
        var factor = await EnrolAsync(OktaSandboxSeed.DaveId, new JsonObject { ["factorType"] = "token:software:totp", ["provider"] = "OKTA" });
        var id = factor["id"]!.GetValue<string>();
        var code = SandboxTotp.Code(factor["_embedded"]!["activation"]!["sharedSecret"]!.GetValue<string>(), DateTimeOffset.UtcNow);

        using var wrong = await _http.PostAsJsonAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors/{id}/lifecycle/activate", new { passCode = code == "000000" ? "111111" : "000000" }, Ct);
        using var right = await _http.PostAsJsonAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors/{id}/lifecycle/activate", new { passCode = code }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("E0000068", (await wrong.Content.ReadFromJsonAsync<JsonNode>(Ct))!["errorCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("ACTIVE", (await right.Content.ReadFromJsonAsync<JsonNode>(Ct))!["status"]!.GetValue<string>());
        Assert.Equal("ACTIVE", Assert.Single(_sandbox.FactorsOf(OktaSandboxSeed.DaveId)!).Status);
    }

    [Fact]
    public async Task Enrolling_an_already_enrolled_type_is_Oktas_400_E0000001_already_set_up()
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/factors",
            new { factorType = "push", provider = "OKTA" }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(Ct);
        var documented = OktaTestFiles.Fixture("legacy-doc.E0000001-factor-already-set-up.json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(documented["errorCode"]!.GetValue<string>(), body!["errorCode"]!.GetValue<string>());
        Assert.Equal(documented["errorSummary"]!.GetValue<string>(), body["errorSummary"]!.GetValue<string>());
        Assert.Equal(documented["errorCauses"]![0]!["errorSummary"]!.GetValue<string>(), body["errorCauses"]![0]!["errorSummary"]!.GetValue<string>());
        Assert.Equal(2, _sandbox.FactorsOf(OktaSandboxSeed.AliceId)!.Count);
    }

    [Theory]
    [InlineData("sms", "GOOGLE")]
    [InlineData("token:software:totp", "YUBICO")]
    [InlineData("signed_nonce", "OKTA")]
    public async Task Enrolling_an_invalid_type_provider_pair_is_400_E0000001(string factorType, string provider)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors", new { factorType, provider }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("E0000001", body!["errorCode"]!.GetValue<string>());
        Assert.Empty(_sandbox.FactorsOf(OktaSandboxSeed.DaveId)!);
    }

    [Fact]
    public async Task Unknown_user_is_404_E0000007_with_Oktas_error_shape()
    {
        using var response = await _http.PostAsync("api/v1/users/00u000000000000NOPE/lifecycle/reset_factors", null, Ct);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        var official = (JsonObject)OktaTestFiles.Fixture("spec-examples/ErrorResourceNotFound.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("E0000007", body["errorCode"]!.GetValue<string>());
        Assert.Equal(official.Select(p => p.Key).Order(), body.Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("SSWS not-the-sandbox-token")]
    [InlineData("Bearer sandbox-token")]
    public async Task Missing_or_wrong_token_is_401_E0000011_and_changes_nothing(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var anonymous = new HttpClient { BaseAddress = _sandbox.BaseUrl };
        using var response = await anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("E0000011", (await response.Content.ReadFromJsonAsync<JsonNode>(Ct))!["errorCode"]!.GetValue<string>());
        Assert.Equal(2, _sandbox.FactorsOf(OktaSandboxSeed.AliceId)!.Count);
    }

    [Fact]
    public async Task RateLimitNext_answers_429_E0000047_with_rate_limit_and_Date_headers()
    {
        _sandbox.RateLimitNext(1, TimeSpan.FromSeconds(30), operationId: "resetFactors");

        using var limited = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);
        using var next = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("E0000047", (await limited.Content.ReadFromJsonAsync<JsonNode>(Ct))!["errorCode"]!.GetValue<string>());
        Assert.Equal("0", limited.Headers.GetValues("X-Rate-Limit-Remaining").Single());
        Assert.NotNull(limited.Headers.GetValues("X-Rate-Limit-Limit").Single());
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(limited.Headers.GetValues("X-Rate-Limit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(limited.Headers.Date);
        Assert.InRange(reset - limited.Headers.Date!.Value, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(31));
        Assert.NotNull(limited.Headers.GetValues("X-Okta-Request-Id").Single());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Every_request_is_recorded_with_method_raw_path_headers_and_body()
    {
        await _http.PostAsJsonAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors?activate=false", new { factorType = "push", provider = "OKTA" }, Ct);

        var recorded = Assert.Single(_sandbox.Requests);
        Assert.Equal("POST", recorded.Method);
        Assert.Equal($"/api/v1/users/{OktaSandboxSeed.DaveId}/factors?activate=false", recorded.PathAndQuery);
        Assert.Equal("enrollFactor", recorded.OperationId);
        Assert.Equal($"SSWS {_sandbox.Token}", recorded.Header("authorization"));
        Assert.Equal("push", JsonNode.Parse(recorded.Body)!["factorType"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailAfterProcessingNext_resets_for_real_but_answers_5xx()
    {
        _sandbox.FailAfterProcessingNext(502, "resetFactors");

        using var response = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(_sandbox.FactorsOf(OktaSandboxSeed.AliceId)!);
    }

    private async Task<JsonObject> EnrolAsync(string userId, JsonObject body)
    {
        using var response = await _http.PostAsJsonAsync($"api/v1/users/{userId}/factors", body, Ct);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, json?.ToJsonString());
        return json!;
    }
}
