using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;

namespace ChatOpsMfa.Tests.Okta;

public sealed class OktaRequestValidatorTests : IAsyncLifetime
{
    private OktaSandbox _sandbox = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(cancellationToken: Ct);
        _http = new HttpClient { BaseAddress = _sandbox.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", _sandbox.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Reset_then_enrol_as_the_workflow_sends_them_match_the_official_operations()
    {
        await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/lifecycle/reset_factors", null, Ct);
        await _http.PostAsJsonAsync($"api/v1/users/{OktaSandboxSeed.AliceId}/factors", new { factorType = "token:software:totp", provider = "GOOGLE" }, Ct);
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        Assert.Empty(await validator.ValidateAsync(_sandbox.Requests[0], "resetFactors"));
        Assert.Empty(await validator.ValidateAsync(_sandbox.Requests[1], "enrollFactor"));
    }

    [Theory]
    [InlineData("EnrollFactorSmsRequest.json")]
    [InlineData("EnrollFactorOVPushRequest.json")]
    [InlineData("EnrollFactorQuestionRequest.json")]
    [InlineData("EnrollFactorEmailRequest.json")]
    public async Task Oktas_own_enrol_examples_pass(string example)
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        var request = Recorded("POST", $"/api/v1/users/{OktaSandboxSeed.DaveId}/factors?activate=true&tokenLifetimeSeconds=600",
            OktaTestFiles.Fixture($"spec-examples/{example}").ToJsonString());

        Assert.Empty(await validator.ValidateAsync(request, "enrollFactor"));
    }

    [Fact]
    public async Task Oktas_own_passcode_example_activates_and_a_body_that_is_not_an_object_is_reported()
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        var path = $"/api/v1/users/{OktaSandboxSeed.AliceId}/factors/uftm3iHSGFqXsngEm0g4/lifecycle/activate";

        // FactorPasscodeRequest, Okta's example for totp, sms, call and email activation.
        Assert.Empty(await validator.ValidateAsync(Recorded("POST", path, """{"passCode":"123456"}"""), "activateFactor"));
        Assert.Empty(await validator.ValidateAsync(Recorded("POST", path, ""), "activateFactor")); // the push poll: no body
        // Okta's alternatives are loose (push's takes any object), but the body must still be an object.
        Assert.NotEmpty(await validator.ValidateAsync(Recorded("POST", path, "\"123456\""), "activateFactor"));
    }

    [Fact]
    public void A_oneOf_whose_alternatives_cannot_be_told_apart_is_read_as_anyOf_and_only_that()
    {
        var schemas = JsonNode.Parse("""
            {
              "Loose": { "oneOf": [ { "properties": { "a": { "type": "string" } } }, { "properties": { "b": { "type": "string" } } } ] },
              "Strict": { "oneOf": [ { "properties": { "a": {} }, "required": ["a"] }, { "$ref": "#/$defs/Other" } ] }
            }
            """);

        OktaRequestValidator.ReadIndistinctOneOfAsAnyOf(schemas);

        Assert.NotNull(schemas!["Loose"]!["anyOf"]);
        Assert.Null(schemas["Loose"]!["oneOf"]);
        Assert.NotNull(schemas["Strict"]!["oneOf"]);
    }

    [Fact]
    public async Task An_unknown_factor_type_in_the_body_is_reported()
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        var problems = await validator.ValidateAsync(Recorded("POST", "/api/v1/users/00u1/factors", """{"factorType":"carrier_pigeon","provider":"OKTA"}"""));

        Assert.Contains(problems, p => p.Contains("factorType", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("?frobnicate=1", "frobnicate")]
    [InlineData("?activate=yes", "activate")]
    [InlineData("?tokenLifetimeSeconds=0", "tokenLifetimeSeconds")]
    [InlineData("?tokenLifetimeSeconds=90000", "tokenLifetimeSeconds")]
    public async Task Undeclared_or_out_of_range_query_parameters_are_reported(string query, string name)
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        var problems = await validator.ValidateAsync(Recorded("POST", "/api/v1/users/00u1/factors" + query, """{"factorType":"push","provider":"OKTA"}"""));

        Assert.Contains(problems, p => p.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_sent_to_reset_is_reported()
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        var problems = await validator.ValidateAsync(Recorded("POST", "/api/v1/users/00u1/lifecycle/reset_factors", """{"x":1}"""), "resetFactors");

        Assert.Contains(problems, p => p.Contains("no JSON body", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_enrol_without_its_required_body_is_reported()
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        var problems = await validator.ValidateAsync(Recorded("POST", "/api/v1/users/00u1/factors", ""), "enrollFactor");

        Assert.Contains(problems, p => p.Contains("requires a request body", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST", "/api/v1/users/00u1/lifecycle/reset_everything")]
    [InlineData("PATCH", "/api/v1/users/00u1/lifecycle/reset_factors")]
    public async Task A_method_or_path_Okta_does_not_have_is_reported(string method, string path)
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        var problems = await validator.ValidateAsync(Recorded(method, path, ""));

        Assert.Contains(problems, p => p.Contains("no such operation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_wrong_operation_is_reported()
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();

        var problems = await validator.ValidateAsync(Recorded("GET", "/api/v1/users/00u1/factors", ""), "enrollFactor");

        Assert.Contains(problems, p => p.Contains("listFactors", StringComparison.Ordinal));
    }

    private static RecordedOktaRequest Recorded(string method, string pathAndQuery, string body) =>
        new(method, pathAndQuery, new Dictionary<string, string>(), body, null);
}
