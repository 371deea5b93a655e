namespace ChatOpsMfa.Arazzo.Tests;

public class LoaderTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private Task<ArazzoLoadResult> LoadAsync(string workflows) =>
        ArazzoDocumentLoader.LoadAsync(_workspace.WriteWorkflow(Fixtures.Document(workflows)), TestContext.Current.CancellationToken);

    private const string ValidWorkflow = """
        workflows:
          - workflowId: get-pet
            inputs: { type: object, properties: { id: { type: string } } }
            steps:
              - stepId: getPet
                operationId: getPet
                parameters:
                  - { name: petId, in: path, value: $inputs.id }
                successCriteria:
                  - condition: $statusCode == 200
                outputs:
                  name: $response.body#/name
            outputs:
              name: $steps.getPet.outputs.name
        """;

    [Fact]
    public async Task Valid_yaml_document_loads_with_its_model()
    {
        var result = await LoadAsync(ValidWorkflow);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var workflow = Assert.Single(result.Document!.Workflows);
        Assert.Equal("get-pet", workflow.WorkflowId);
        Assert.Equal("getPet", Assert.Single(workflow.Steps).StepId);
        Assert.Equal("/pets/{petId}", result.Document.FindOperation("get-pet", "getPet")!.PathTemplate);
    }

    [Fact]
    public async Task Json_document_loads()
    {
        _workspace.Write("petstore.yaml", Fixtures.PetStoreOpenApi);
        var json = """
            {"arazzo":"1.0.1","info":{"title":"T","version":"1"},
             "sourceDescriptions":[{"name":"pets","url":"petstore.yaml","type":"openapi"}],
             "workflows":[{"workflowId":"w","steps":[{"stepId":"s","operationPath":"{$sourceDescriptions.pets.url}#/paths/~1pets/get",
               "successCriteria":[{"condition":"$statusCode == 200"}]}]}]}
            """;

        var result = await ArazzoDocumentLoader.LoadAsync(_workspace.Write("w.json", json), TestContext.Current.CancellationToken);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal("GET", result.Document!.FindOperation("w", "s")!.Method);
    }

    [Fact]
    public async Task Schema_failure_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("operationId: getPet", "operationId: 42", StringComparison.Ordinal));

        Assert.Contains(result.Errors, e => e.Pointer == "/workflows/0/steps/0/operationId" && e.Message.StartsWith("schema", StringComparison.Ordinal));
        Assert.Null(result.Document);
    }

    [Fact]
    public async Task Unknown_operation_id_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("operationId: getPet", "operationId: getPets", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/operationId", error.Pointer);
        Assert.Contains("'getPets' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"\(\d+:\d+\)$", error.Location);
    }

    [Fact]
    public async Task Path_parameter_not_in_template_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("name: petId, in: path", "name: id, in: path", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/parameters/0/name", error.Pointer);
        Assert.Contains("'id' is not a variable of '/pets/{petId}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_expression_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("value: $inputs.id", "value: $inputz.id", StringComparison.Ordinal).Replace("$inputz.id", "'x {$inputz.id}'", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/parameters/0/value", error.Pointer);
        Assert.Contains("unknown expression root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_condition_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("$statusCode == 200", "$statusCode == 200; rm -rf /", StringComparison.Ordinal));

        Assert.Equal("/workflows/0/steps/0/successCriteria/0/condition", Assert.Single(result.Errors).Pointer);
    }

    [Fact]
    public async Task Output_referencing_a_missing_step_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("$steps.getPet.outputs.name", "$steps.nope.outputs.name", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/outputs/name", error.Pointer);
        Assert.Contains("step 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_referencing_a_missing_output_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("$steps.getPet.outputs.name", "$steps.getPet.outputs.colour", StringComparison.Ordinal));

        Assert.Equal("/workflows/0/outputs/name", Assert.Single(result.Errors).Pointer);
    }

    [Fact]
    public async Task Invalid_jsonpath_criterion_is_located()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("- condition: $statusCode == 200", "- { condition: '$.name[', type: jsonpath, context: $response.body }", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/successCriteria/0/condition", error.Pointer);
        Assert.Contains("invalid JSONPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jsonpath_condition_written_as_a_comparison_is_read_as_a_filter_expression_with_a_warning()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("- condition: $statusCode == 200", "- { condition: '$.name != null', type: jsonpath, context: $response.body }", StringComparison.Ordinal));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("/workflows/0/steps/0/successCriteria/0/condition", warning.Pointer);
        Assert.Contains("filter expression", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Criterion_context_that_is_not_a_runtime_expression_is_located_at_the_context()
    {
        // Arazzo 1.0.1, Criterion Object: context is "A Runtime Expression"; jentic's petstore fixture writes 'context: response'.
        var result = await LoadAsync(ValidWorkflow.Replace("- condition: $statusCode == 200", "- { condition: $statusCode == 200, context: response, type: simple }", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/successCriteria/0/context", error.Pointer);
        Assert.Contains("invalid context expression: an expression starts with '$'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Goto_without_a_target_is_one_error_at_the_action_not_three_from_the_reusable_object_branch()
    {
        // jentic's control-flow fixture: `{ name: bad, type: goto }`. The action is oneOf [Success Action, Reusable]; the
        // Reusable branch fails on every property the document wrote, so the Success Action branch explains the problem.
        var result = await LoadAsync(ValidWorkflow.Replace("        outputs:\n          name: $response", "        onSuccess:\n          - { name: bad, type: goto }\n        outputs:\n          name: $response", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/onSuccess/0", error.Pointer);
        Assert.Contains("stepId", error.Message, StringComparison.Ordinal);
        Assert.Contains("workflowId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotted_body_access_is_a_warning_naming_the_spec_form_and_still_runs()
    {
        var result = await LoadAsync(ValidWorkflow
            .Replace("name: $response.body#/name", "name: $response.body.owner.name", StringComparison.Ordinal)
            .Replace("- condition: $statusCode == 200", "- condition: $response.body.kind == 'cat'", StringComparison.Ordinal));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(
            [("/workflows/0/steps/0/outputs/name", "the spec form is '$response.body#/owner/name'"), ("/workflows/0/steps/0/successCriteria/0/condition", "the spec form is '$response.body#/kind'")],
            result.Warnings.Select(w => (w.Pointer, w.Message[w.Message.IndexOf("the spec form", StringComparison.Ordinal)..])).Order());

        var handler = new RecordingHandler(RecordingHandler.Json(System.Net.HttpStatusCode.OK, """{"kind":"cat","owner":{"name":"Ada"}}"""));
        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(
            result.Document!, "get-pet", new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["id"] = "7" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal("Ada", run.Outputs["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retry_without_step_or_retry_after_passes_despite_the_schema_quirk()
    {
        var result = await LoadAsync(ValidWorkflow.Replace("        outputs:\n          name: $response", "        onFailure:\n          - { name: again, type: retry }\n        outputs:\n          name: $response", StringComparison.Ordinal));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal("retry", result.Document!.Workflows[0].Steps[0].OnFailure[0].Type);
    }
}
