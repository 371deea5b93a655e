using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// What the sandbox tests share: an SSWS client (with a User-Agent, as Okta needs for push), Okta's own examples read
/// from the official description, and the checks that an answer fits the description's response schema.
/// </summary>
internal static class OktaSandboxTestKit
{
    public const string UserAgent = "ChatOpsMfa-Tests/1.0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static HttpClient Client(OktaSandbox sandbox, bool withUserAgent = true)
    {
        var http = new HttpClient { BaseAddress = sandbox.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("SSWS", sandbox.Token);
        if (withUserAgent)
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        }

        return http;
    }

    /// <summary>The value of <c>components.examples.&lt;name&gt;</c> in Okta's official description.</summary>
    public static async Task<JsonNode> ExampleAsync(string name)
    {
        var document = await OktaOpenApiDocuments.Official;
        var example = document.Components?.Examples?.TryGetValue(name, out var found) == true ? found : null;
        return example?.Value?.DeepClone() ?? throw new InvalidOperationException($"{name} is not an example in Okta's description.");
    }

    /// <summary>The answer's status is documented for the operation and its body fits that response's schema.</summary>
    public static async Task AssertMatchesOktaAsync(string operationId, HttpResponseMessage response)
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        var problems = await validator.ValidateResponseAsync(operationId, (int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// For a refusal the operation does not document (listUsers and revokeUserSessions list no 400, yet Okta answers
    /// 400 for a bad search or parameter): the body is still Okta's Error object.
    /// </summary>
    public static async Task AssertOktaErrorAsync(HttpResponseMessage response, string errorCode)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        Assert.Empty(await validator.ValidateComponentAsync("Error", body));
        Assert.Equal(errorCode, body["errorCode"]!.GetValue<string>());
        var official = (JsonObject)OktaTestFiles.Fixture("spec-examples/ErrorApiValidationFailed.json");
        Assert.Equal(official.Select(p => p.Key).Order(), body.AsObject().Select(p => p.Key).Order());
    }

    /// <summary>Every request the sandbox recorded is one Okta's description accepts (path, query, body).</summary>
    public static async Task AssertRequestsMatchOktaAsync(OktaSandbox sandbox)
    {
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        foreach (var request in sandbox.Requests)
        {
            var problems = await validator.ValidateAsync(request, request.OperationId);
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

    public static StringContent JsonContent(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>The property names of an object, sorted, for comparing a sandbox answer's shape with Okta's example.</summary>
    public static string[] Keys(JsonNode? node) => [.. node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];
}
