using System.Text.Json.Nodes;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Tests.Okta;

public sealed class OktaErrorTests
{
    [Fact]
    public void Factor_already_set_up_from_Oktas_documented_body_is_its_own_case()
    {
        var error = OktaError.FromResponse(400, OktaTestFiles.Fixture("legacy-doc.E0000001-factor-already-set-up.json"));

        Assert.True(error.IsFactorAlreadySetUp);
        Assert.Equal("E0000001", error.ErrorCode);
        Assert.Equal("oaeneEaQF8qQrepOWHSkdoejw", error.ErrorId);
        Assert.Equal(["A factor of this type is already set up."], error.Causes);
        Assert.Contains("already set up", error.Message, StringComparison.Ordinal);
        Assert.Contains("oaeneEaQF8qQrepOWHSkdoejw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_verified_phone_number_is_also_already_set_up()
    {
        var body = OktaTestFiles.Fixture("legacy-doc.E0000001-factor-already-set-up.json");
        body["errorCauses"]![0]!["errorSummary"] = "There is an existing verified phone number.";

        Assert.True(OktaError.FromResponse(400, body).IsFactorAlreadySetUp);
    }

    [Fact]
    public void Generic_validation_failure_is_Invalid_not_already_set_up_and_hides_the_unfilled_template()
    {
        var error = OktaError.FromResponse(400, OktaTestFiles.Fixture("spec-examples/ErrorApiValidationFailed.json"));

        Assert.Equal(OktaErrorKind.Invalid, error.Kind);
        Assert.False(error.IsFactorAlreadySetUp);
        Assert.DoesNotContain("{0}", error.Message, StringComparison.Ordinal);
        Assert.Contains("E0000001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_found_is_NotFound_with_a_plain_message()
    {
        var error = OktaError.FromResponse(404, OktaTestFiles.Fixture("spec-examples/ErrorResourceNotFound.json"));

        Assert.True(error.IsNotFound);
        Assert.StartsWith("Okta has no such user or factor.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec-examples/ErrorTooManyRequests.json", 429, OktaErrorKind.RateLimited, "rate limit")]
    [InlineData("spec-examples/ErrorInvalidTokenProvided.json", 401, OktaErrorKind.Unauthorized, "API token")]
    [InlineData("spec-examples/ErrorAccessDenied.json", 403, OktaErrorKind.Forbidden, "not allowed")]
    [InlineData("spec-examples/ErrorInternalServer.json", 500, OktaErrorKind.ServerError, "internal error")]
    [InlineData("legacy-doc.E0000068-invalid-passcode.json", 403, OktaErrorKind.Forbidden, "did not match")]
    public void Official_error_bodies_map_to_kinds_and_readable_messages(string fixture, int status, OktaErrorKind kind, string phrase)
    {
        var body = OktaTestFiles.Fixture(fixture);

        var error = OktaError.FromResponse(status, body);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(body["errorCode"]!.GetValue<string>(), error.ErrorCode);
        Assert.Contains(phrase, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_causes_are_part_of_the_message()
    {
        var error = OktaError.FromResponse(403, OktaTestFiles.Fixture("legacy-doc.E0000068-invalid-passcode.json"));

        Assert.Contains("Your passcode doesn't match our records.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<html><body>Bad gateway</body></html>")]
    public void A_body_that_is_not_Oktas_json_still_gives_a_message(string? body)
    {
        var error = OktaError.FromResponse(502, body);

        Assert.Equal(OktaErrorKind.ServerError, error.Kind);
        Assert.Null(error.ErrorCode);
        Assert.Contains("HTTP 502", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapper_accepts_a_status_and_JsonNode_as_the_workflow_failure_gives_them()
    {
        JsonNode body = JsonNode.Parse("""{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: 00uX (User)","errorCauses":[]}""")!;

        var error = OktaError.FromResponse(System.Net.HttpStatusCode.NotFound, body);

        Assert.True(error.IsNotFound);
        Assert.Contains("Resource not found: 00uX (User)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_names_the_org()
    {
        var error = OktaError.Unreachable(new Uri("https://example.okta.com/api/v1/users"), "the connection failed");

        Assert.True(error.IsUnreachable);
        Assert.Equal("Okta at https://example.okta.com could not be reached (the connection failed).", error.Message);
    }

    [Fact]
    public void Catalogue_codes_and_statuses_agree_with_Oktas_published_error_codes()
    {
        var published = JsonNode.Parse(File.ReadAllText(OktaTestFiles.ErrorCodeCatalogue))!["errors"]!.AsArray()
            .ToDictionary(e => e!["errorCode"]!.GetValue<string>(), e => e!["statusCode"]!.GetValue<int>());

        Assert.All(OktaErrorCatalog.Entries, entry =>
        {
            Assert.True(published.ContainsKey(entry.Key), $"{entry.Key} is not in Okta's catalogue");
            Assert.Equal(published[entry.Key], entry.Value.Status);
        });
    }
}
