using System.Text.RegularExpressions;

namespace ChatOpsMfa.Tests.Okta;

public sealed partial class ShippedOpenApiDescriptionTests
{
    private static readonly string[] OperationsTheBotUses =
    [
        "resetFactors", "enrollFactor", "activateFactor", "listFactors", "getUser",
        "listAssignedRolesForUser", "listUserGroups", "revokeUserSessions",
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
        Assert.Contains(parameters, p => p.Name == "userId" && p.In == Microsoft.OpenApi.ParameterLocation.Path && p.Required);
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

    private static string WithoutParameterNames(string path) => ParameterName().Replace(path, "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex ParameterName();
}
