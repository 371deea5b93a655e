using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace ChatOpsMfa.Tests.Okta;

public sealed partial class ShippedOpenApiDescriptionTests
{
    private static readonly string[] OperationsTheBotUses =
    [
        "resetFactors", "enrollFactor", "activateFactor", "listFactors", "getFactor", "unenrollFactor", "resendEnrollFactor",
        "verifyFactor", "getFactorTransactionStatus", "getUser", "listUsers", "listAssignedRolesForUser", "listUserGroups",
        "revokeUserSessions", "listLogEvents",
    ];

    [Fact]
    public async Task Every_shipped_operation_has_the_official_method_and_path_modulo_parameter_names()
    {
        var official = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Official)
            .Where(o => o.Operation.OperationId is not null)
            .ToDictionary(o => o.Operation.OperationId!, o => (o.Method, o.Path));
        var shipped = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Shipped).ToArray();

        Assert.NotEmpty(shipped);
        foreach (var (method, path, _, operation) in shipped)
        {
            Assert.True(operation.OperationId is not null && official.ContainsKey(operation.OperationId),
                $"{method} {path}: operationId '{operation.OperationId}' is not in Okta's official description.");
            var expected = official[operation.OperationId!];
            Assert.Equal(expected.Method, method);
            Assert.Equal(WithoutParameterNames(expected.Path), WithoutParameterNames(path));
        }
    }

    [Fact]
    public async Task Shipped_description_has_exactly_the_operations_the_bot_uses()
    {
        var shipped = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Shipped).Select(o => o.Operation.OperationId).Order();

        Assert.Equal(OperationsTheBotUses.Order(), shipped);
    }

    [Fact]
    public async Task Reset_path_parameter_is_named_userId_so_the_seed_workflow_can_fill_it()
    {
        var reset = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Shipped).Single(o => o.Operation.OperationId == "resetFactors");
        var official = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Official).Single(o => o.Operation.OperationId == "resetFactors");

        Assert.Equal("/api/v1/users/{userId}/lifecycle/reset_factors", reset.Path);
        Assert.Equal("/api/v1/users/{id}/lifecycle/reset_factors", official.Path);
        var parameters = (reset.PathItem.Parameters ?? []).Concat(reset.Operation.Parameters ?? []);
        Assert.Contains(parameters, p => p.Name == "userId" && p.In == ParameterLocation.Path && p.Required);
    }

    [Fact]
    public async Task Enroll_request_body_keeps_the_official_UserFactor_schema()
    {
        var enroll = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Shipped).Single(o => o.Operation.OperationId == "enrollFactor");
        var schema = enroll.Operation.RequestBody?.Content?["application/json"].Schema;

        Assert.NotNull(schema);
        Assert.NotNull(schema.Properties);
        Assert.Contains("factorType", schema.Properties.Keys);
        Assert.Contains("provider", schema.Properties.Keys);
        Assert.Contains("token:software:totp", (schema.Properties["factorType"].Enum ?? []).Select(e => e?.ToString().Trim('"')));
    }

    [Theory]
    [InlineData("getFactor")]
    [InlineData("unenrollFactor")]
    [InlineData("resendEnrollFactor")]
    [InlineData("activateFactor")]
    public async Task Activation_operations_are_copied_faithfully_parameters_body_and_responses(string operationId)
    {
        var shipped = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Shipped).Single(o => o.Operation.OperationId == operationId);
        var official = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Official).Single(o => o.Operation.OperationId == operationId);

        Assert.Equal(official.Path, shipped.Path);
        Assert.Equal(await ParametersOf(official), await ParametersOf(shipped));
        Assert.Equal(official.Operation.RequestBody?.Required, shipped.Operation.RequestBody?.Required);
        Assert.Equal(await SchemaText(official.Operation.RequestBody?.Content?["application/json"].Schema),
            await SchemaText(shipped.Operation.RequestBody?.Content?["application/json"].Schema));
        Assert.Equal(official.Operation.Responses!.Keys.Order(), shipped.Operation.Responses!.Keys.Order());
        foreach (var (status, response) in official.Operation.Responses)
        {
            var copy = shipped.Operation.Responses[status];
            Assert.Equal((response.Content?.Keys ?? []).Order(), (copy.Content?.Keys ?? []).Order());
            foreach (var (mediaType, media) in response.Content ?? new Dictionary<string, IOpenApiMediaType>())
            {
                Assert.Equal(await SchemaText(media.Schema), await SchemaText(copy.Content![mediaType].Schema));
            }
        }
    }

    [Fact]
    public async Task Activate_request_body_is_optional_so_a_push_poll_may_send_none()
    {
        var activate = OktaOpenApiDocuments.Operations(await OktaOpenApiDocuments.Shipped).Single(o => o.Operation.OperationId == "activateFactor");

        Assert.NotNull(activate.Operation.RequestBody);
        Assert.False(activate.Operation.RequestBody.Required);
    }

    [Fact]
    public void Shipped_workflow_is_the_seed_unmodified()
    {
        Assert.Equal(File.ReadAllBytes(OktaTestFiles.SeedWorkflow), File.ReadAllBytes(OktaTestFiles.ShippedWorkflow));
    }

    [Fact]
    public void Shipped_workflow_points_at_the_shipped_description()
    {
        var workflowDir = Path.GetDirectoryName(OktaTestFiles.ShippedWorkflow)!;

        Assert.Contains("url: ../openapi/okta-openapi-original.yml", File.ReadAllText(OktaTestFiles.ShippedWorkflow), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(workflowDir, "../openapi/okta-openapi-original.yml"))));
    }

    [Fact]
    public void Workflow_and_description_are_copied_next_to_the_app()
    {
        var output = typeof(ChatOpsMfa.Okta.OktaClient).Assembly.Location;
        var dir = Path.GetDirectoryName(output)!;

        Assert.True(File.Exists(Path.Combine(dir, "Okta", "workflows", "okta-reset-and-reenroll-factor.arazzo.yaml")));
        Assert.True(File.Exists(Path.Combine(dir, "Okta", "openapi", "okta-openapi-original.yml")));
    }

    private static async Task<string[]> ParametersOf((HttpMethod Method, string Path, IOpenApiPathItem PathItem, OpenApiOperation Operation) operation)
    {
        var parameters = (operation.Operation.Parameters ?? []).Concat(operation.PathItem.Parameters ?? []).OrderBy(p => p.Name, StringComparer.Ordinal);
        var texts = new List<string>();
        foreach (var parameter in parameters)
        {
            texts.Add($"{parameter.In} {parameter.Name} required={parameter.Required} {await SchemaText(parameter.Schema)}");
        }

        return [.. texts];
    }

    /// <summary>A schema as JSON with every reference followed one level deep (descriptions and examples left out).</summary>
    private static async Task<string> SchemaText(IOpenApiSchema? schema)
    {
        if (schema is null)
        {
            return "";
        }

        var node = JsonNode.Parse(await schema.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0))!;
        var target = schema is OpenApiSchemaReference reference && reference.Target is { } resolved
            ? JsonNode.Parse(await resolved.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0))!
            : null;
        return Strip(node) + " -> " + Strip(target);

        static string Strip(JsonNode? json)
        {
            if (json is JsonObject obj)
            {
                obj.Remove("description");
                obj.Remove("example");
                obj.Remove("examples");
                // The shipped file's one documented change to schemas: a discriminator's property is listed as required.
                if (obj["discriminator"]?["propertyName"] is JsonValue property && obj["required"] is JsonArray { Count: 1 } required &&
                    required[0]?.GetValue<string>() == property.GetValue<string>())
                {
                    obj.Remove("required");
                }
            }

            return json?.ToJsonString() ?? "";
        }
    }

    private static string WithoutParameterNames(string path) => ParameterName().Replace(path, "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex ParameterName();
}
