namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>
/// Fixtures from other Arazzo implementations (tests/specs/arazzo/third-party/, provenance in each SOURCE.md), each with
/// the verdict the Arazzo 1.0.1 specification gives it. Where the project's own tests disagree with the specification,
/// the comment on the row says why. One problem, one message: an invalid document gets exactly its listed errors.
/// </summary>
public class ThirdPartyCorpusTests
{
    private static readonly string Folder = Path.Combine(ChatOpsMfa.Tests.RepoPaths.Specs, "arazzo", "third-party");

    /// <summary>(project folder, document path inside it, expected errors as "POINTER | message part"; none: valid).</summary>
    private static readonly (string Project, string Document, string[] Errors)[] Cases =
    [
        // Redocly runs it, but 'museum-api.getMuseumHours' is not an operationId of the description (Step Object,
        // operationId: "The name of an existing, resolvable operation"; the source-qualified form is the runtime
        // expression '$sourceDescriptions.museum-api.getMuseumHours'). Redocly's own resolution, not the spec's.
        ("redocly", "__tests__/respect/case-insensitive-headers/case-insensitive-headers.arazzo.yaml",
            ["/workflows/0/steps/0/operationId | operationId 'museum-api.getMuseumHours' does not exist"]),
        ("redocly", "__tests__/respect/step-on-failure-type-end-action/step-on-failure-type-end-action.arazzo.yaml", []),
        ("redocly", "__tests__/respect/replacements/replacements.arazzo.yaml", []),
        ("redocly", "__tests__/respect/x-security-bearer-auth/x-security-bearer-auth.arazzo.yaml", []),
        // The same 'museum-api.getMuseumHours' as above, in two steps: two problems, two messages.
        ("redocly", "__tests__/respect/x-security-priority/x-security-priority.arazzo.yaml",
            ["/workflows/0/steps/0/operationId | operationId 'museum-api.getMuseumHours' does not exist", "/workflows/0/steps/1/operationId | operationId 'museum-api.getMuseumHours' does not exist"]),
        ("redocly", "__tests__/respect/x-security-basic-auth/x-security-basic-auth.arazzo.yaml", []),
        ("redocly", "__tests__/respect/x-security-api-key-auth/x-security-api-key-auth.arazzo.yaml", []),
        ("redocly", "__tests__/respect/x-security-oauth2-auth/x-security-oauth2-auth.arazzo.yaml", []),
        ("redocly", "__tests__/respect/x-security-open-id-connect-auth/x-security-open-id-connect-auth.arazzo.yaml", []),
        ("redocly", "__tests__/respect/x-security-resolve-scheme-name/x-security-resolve-scheme-name.arazzo.yaml", []),
        ("jentic-arazzo-engine", "runner/tests/test_data/petstore/operation_id.arazzo.yaml", []),
        ("jentic-arazzo-engine", "runner/tests/test_data/petstore/single_source.arazzo.yaml", []),
        ("jentic-arazzo-engine", "runner/tests/test_data/cross_source/cross_source.arazzo.yaml", []),
        // jentic's runner tests run it, but the spec refuses four things: 'context: response' twice (Criterion Object:
        // context is "A Runtime Expression"), and '$response.body[0]' / '$response.body[0].id' as outputs (ABNF:
        // body-reference = "body" ["#" json-pointer]; an index is only part of a simple condition's grammar). Its many
        // '$response.body.x' outputs are warnings (the spec form is body#/x), and '$datetime.iso8601' in the payload is
        // a literal string (no such expression root), so neither is an error.
        ("jentic-arazzo-tools", "packages/jentic-arazzo-runner/test/fixtures/petstore-order-workflow-3-1.arazzo.yaml",
            [
                "/workflows/0/steps/1/successCriteria/1/context | invalid context expression: an expression starts with '$'",
                "/workflows/0/steps/1/outputs/bestMatchPet | unknown source 'body[0]'",
                "/workflows/0/steps/1/outputs/bestMatchPetId | unknown source 'body[0]'",
                "/workflows/0/steps/2/successCriteria/1/context | invalid context expression: an expression starts with '$'",
            ]),
        // jentic loads it and expects run-time errors from some workflows; as a document the spec refuses three of them:
        // gotoNoTarget (Success Action Object: stepId / workflowId, one of them with type goto), unknownActionType
        // ('teleport' is not end or goto) and emptyWorkflow (Workflow Object: steps, "The list MUST have at least one
        // entry"). gotoMissing's dangling stepId is a semantic error the loader reports once the schema errors are fixed
        // (semantic checks run on schema-valid documents only), so it is not listed here.
        ("jentic-arazzo-tools", "packages/jentic-arazzo-runner/test/fixtures/workflow-control-flow.arazzo.yaml",
            [
                "/workflows/14/steps/0/onSuccess/0 | one of the properties 'workflowId' or 'stepId' is required",
                "/workflows/15/steps/0/onSuccess/0/type | schema (enum)",
                "/workflows/16/steps | schema (minItems)",
            ]),
    ];

    public static TheoryData<string, string> Documents() => new(Cases.Select(c => (c.Project, c.Document)));

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Document_gets_the_specification_verdict(string project, string document)
    {
        var expected = Cases.Single(c => c.Project == project && c.Document == document).Errors.Select(e => e.Split(" | ")).ToList();
        var root = Path.Combine(Folder, project);

        var result = await ArazzoDocumentLoader.LoadAsync(Path.Combine(root, document), new ArazzoLoadOptions { SourceRoot = root }, TestContext.Current.CancellationToken);

        var errors = result.Errors.ToList();
        var all = string.Join("\n", result.Diagnostics);
        Assert.True(errors.Count == expected.Count, $"expected {expected.Count} error(s), got {errors.Count}:\n{all}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(errors[i].Pointer == expected[i][0], $"error {i}: expected it at {expected[i][0]}:\n{all}");
            Assert.Contains(expected[i][1], errors[i].Message, StringComparison.Ordinal);
        }

        Assert.Equal(expected.Count == 0, result.IsValid);
    }

    [Fact]
    public async Task Control_flow_fixture_without_its_three_schema_errors_reports_the_goto_to_a_missing_step()
    {
        var fixtures = Path.Combine(Folder, "jentic-arazzo-tools", "packages", "jentic-arazzo-runner", "test", "fixtures");
        var text = await File.ReadAllTextAsync(Path.Combine(fixtures, "workflow-control-flow.arazzo.yaml"), TestContext.Current.CancellationToken);
        using var workspace = new TestWorkspace();
        File.Copy(Path.Combine(fixtures, "petstore.openapi-3-1.json"), Path.Combine(workspace.Root, "petstore.openapi-3-1.json"));
        var withoutSchemaErrors = text[..text.IndexOf("  # a goto action naming neither stepId nor workflowId", StringComparison.Ordinal)];

        var result = await ArazzoDocumentLoader.LoadAsync(workspace.Write("control-flow.arazzo.yaml", withoutSchemaErrors), TestContext.Current.CancellationToken);

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/5/steps/0/onSuccess/0/stepId", error.Pointer);
    }

    public static TheoryData<string> SwaggerexpertValidExpressions() => new(
        File.ReadLines(Path.Combine(Folder, "swaggerexpert", "test", "fixtures", "expressions-valid.txt")).Where(l => l.StartsWith('$')));

    [Theory]
    [MemberData(nameof(SwaggerexpertValidExpressions))]
    public void Swaggerexpert_valid_expression_parses(string expression)
    {
        Assert.True(RuntimeExpressionParser.TryParse(expression, out var parsed, out var error), error);
        Assert.Equal(expression, parsed.Text);
    }
}
