using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>
/// dependsOn, workflow steps, goto to a workflow, retries across nested workflows, several sources each with its own
/// server and credentials, and arazzo sources: run against a fake API that answers by path.
/// </summary>
public class NestedRunTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<ArazzoDocument> CorpusAsync(string file)
    {
        var result = await ArazzoDocumentLoader.LoadAsync(Path.Combine(CorpusTests.Folder, file), Token);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Document!;
    }

    /// <summary>Loads <paramref name="text"/> (usually a changed corpus document) beside copies of the corpus descriptions it names.</summary>
    private static async Task<ArazzoDocument> LoadAsync(TestWorkspace workspace, string text, params string[] descriptions)
    {
        foreach (var description in descriptions)
        {
            File.Copy(Path.Combine(CorpusTests.Folder, description), Path.Combine(workspace.Root, description));
        }

        var result = await ArazzoDocumentLoader.LoadAsync(workspace.Write("w.arazzo.yaml", text), Token);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Document!;
    }

    private static Task<WorkflowRunResult> RunAsync(ArazzoDocument document, RecordingHandler handler, string workflowId, Dictionary<string, JsonNode?>? inputs = null, WorkflowRunOptions? options = null) =>
        new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, workflowId, inputs ?? [], options, Token);

    /// <summary>Answers by "METHOD path" with (status, JSON); 404 for anything else.</summary>
    private static RecordingHandler Api(Dictionary<string, Func<int, (HttpStatusCode Status, string Json)>> routes)
    {
        var calls = new Dictionary<string, int>();
        return new RecordingHandler(request =>
        {
            var key = request.Method.Method + " " + request.RequestUri!.AbsolutePath;
            calls[key] = calls.GetValueOrDefault(key) + 1;
            var (status, json) = routes.TryGetValue(key, out var route) ? route(calls[key]) : (HttpStatusCode.NotFound, "{}");
            return RecordingHandler.Json(status, json)(request);
        });
    }

    [Fact]
    public async Task Workflow_step_passes_parameters_down_and_reads_the_nested_outputs()
    {
        var document = await CorpusAsync("valid.workflow-step.arazzo.yaml");
        var handler = Api(new()
        {
            ["GET /v1/pets/7"] = _ => (HttpStatusCode.OK, """{"name":"Rex"}"""),
            ["GET /v1/pets"] = _ => (HttpStatusCode.OK, "[]"),
        });

        var run = await RunAsync(document, handler, "outer", new() { ["id"] = "7" });

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(["/v1/pets/7", "/v1/pets"], handler.Requests.Select(r => r.Url.AbsolutePath));
        Assert.Equal("Rex", run.Outputs["name"]!.GetValue<string>());
        Assert.Equal("Rex", run.Outputs["direct"]!.GetValue<string>());
    }

    [Fact]
    public async Task Failing_nested_workflow_fails_the_step_naming_the_inner_step_status_and_criterion()
    {
        var document = await CorpusAsync("valid.workflow-step.arazzo.yaml");
        var handler = Api(new() { ["GET /v1/pets/7"] = _ => (HttpStatusCode.NotFound, """{"error":"no such pet"}""") });

        var run = await RunAsync(document, handler, "outer", new() { ["id"] = "7" });

        Assert.False(run.Succeeded);
        Assert.Equal("run-inner", run.Failure!.StepId);
        Assert.Equal(404, run.Failure.StatusCode);
        Assert.Equal(
            "step 'run-inner' failed: workflow 'inner' did not succeed (step 'get' failed: the API answered HTTP 404; the success criterion '$statusCode == 200' did not hold)",
            run.Failure.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task DependsOn_runs_the_dependency_first_and_exposes_its_outputs()
    {
        var document = await CorpusAsync("valid.depends-on.arazzo.yaml");
        var handler = Api(new()
        {
            ["GET /v1/pets"] = _ => (HttpStatusCode.OK, """[{"id":1}]"""),
            ["POST /v1/pets"] = _ => (HttpStatusCode.Created, "{}"),
        });

        var run = await RunAsync(document, handler, "second");

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(["GET /v1/pets", "POST /v1/pets"], handler.Requests.Select(r => r.Method + " " + r.Url.AbsolutePath));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"from":[{"id":1}]}"""), JsonNode.Parse(handler.Requests[1].Body!)));
    }

    [Fact]
    public async Task Failed_dependency_stops_the_workflow_before_its_first_step()
    {
        var document = await CorpusAsync("valid.depends-on.arazzo.yaml");
        var handler = Api(new() { ["GET /v1/pets"] = _ => (HttpStatusCode.InternalServerError, "{}") });

        var run = await RunAsync(document, handler, "second");

        Assert.False(run.Succeeded);
        Assert.StartsWith("workflow 'second' depends on 'first', which failed: step 'list' failed: the API answered HTTP 500", run.Failure!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Goto_a_workflow_hands_the_run_over()
    {
        var document = await CorpusAsync("valid.goto-workflow.arazzo.yaml");
        var handler = Api(new()
        {
            ["GET /v1/pets/1"] = _ => (HttpStatusCode.OK, """{"status":"available"}"""),
            ["GET /v1/pets"] = _ => (HttpStatusCode.OK, "[]"),
        });

        var run = await RunAsync(document, handler, "main");

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(["/v1/pets/1", "/v1/pets"], handler.Requests.Select(r => r.Url.AbsolutePath));
        Assert.Equal(["get", "list"], run.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task End_action_with_a_holding_criterion_does_not_go_to_the_other_workflow()
    {
        var document = await CorpusAsync("valid.goto-workflow.arazzo.yaml");
        var handler = Api(new() { ["GET /v1/pets/1"] = _ => (HttpStatusCode.OK, """{"status":"SOLD"}""") });

        var run = await RunAsync(document, handler, "main");

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Retry_runs_the_named_workflow_before_retrying_the_step()
    {
        var document = await CorpusAsync("valid.retry.arazzo.yaml");
        var handler = Api(new()
        {
            ["GET /v1/pets/1"] = call => call == 1 ? (HttpStatusCode.Unauthorized, "{}") : (HttpStatusCode.OK, "{}"),
            ["GET /v1/pets"] = _ => (HttpStatusCode.OK, "[]"),
        });

        var run = await RunAsync(document, handler, "main");

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(["/v1/pets/1", "/v1/pets", "/v1/pets/1"], handler.Requests.Select(r => r.Url.AbsolutePath));
    }

    [Fact]
    public async Task Retry_of_a_workflow_step_reruns_the_nested_workflow_up_to_the_limit()
    {
        var path = Path.Combine(CorpusTests.Folder, "valid.workflow-step.arazzo.yaml");
        var text = File.ReadAllText(path).Replace(
            "        outputs:\n          name: $outputs.name",
            "        onFailure:\n          - { name: again, type: retry, retryAfter: 0, retryLimit: 2 }\n        outputs:\n          name: $outputs.name",
            StringComparison.Ordinal);
        using var workspace = new TestWorkspace();
        var document = await LoadAsync(workspace, text, "pets.openapi.yaml");
        var handler = Api(new()
        {
            ["GET /v1/pets/7"] = call => call < 3 ? (HttpStatusCode.ServiceUnavailable, "{}") : (HttpStatusCode.OK, """{"name":"Rex"}"""),
            ["GET /v1/pets"] = _ => (HttpStatusCode.OK, "[]"),
        });

        var run = await RunAsync(document, handler, "outer", new() { ["id"] = "7" });

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(3, handler.Requests.Count(r => r.Url.AbsolutePath == "/v1/pets/7"));
        Assert.Equal("Rex", run.Outputs["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_source_gets_its_own_server_and_only_its_own_credentials()
    {
        var document = await CorpusAsync("valid.two-sources.arazzo.yaml");
        var handler = Api(new()
        {
            ["GET /pets-api/pets/9"] = _ => (HttpStatusCode.OK, """{"id":9}"""),
            ["POST /orders-api/orders"] = _ => (HttpStatusCode.Created, "{}"),
        });
        var options = new WorkflowRunOptions
        {
            ServerUrls = new Dictionary<string, Uri>
            {
                ["pets"] = new("http://127.0.0.1:1/pets-api"),
                ["orders"] = new("http://127.0.0.2:2/orders-api/"),
            },
            SourceHeaders = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["pets"] = new Dictionary<string, string> { ["Authorization"] = "Bearer pets-secret" },
                ["orders"] = new Dictionary<string, string> { ["X-Api-Key"] = "orders-secret" },
            },
        };

        var run = await RunAsync(document, handler, "buy", new() { ["id"] = "9" }, options);

        Assert.True(run.Succeeded, run.Failure?.Message);
        var (pets, orders) = (handler.Requests[0], handler.Requests[1]);
        Assert.Equal("http://127.0.0.1:1/pets-api/pets/9", pets.Url.AbsoluteUri);
        Assert.Equal("http://127.0.0.2:2/orders-api/orders", orders.Url.AbsoluteUri);
        Assert.Equal("Bearer pets-secret", pets.Headers["Authorization"]);
        Assert.False(pets.Headers.ContainsKey("X-Api-Key"));
        Assert.Equal("orders-secret", orders.Headers["X-Api-Key"]);
        Assert.False(orders.Headers.ContainsKey("Authorization"));
        Assert.DoesNotContain("secret", orders.Body!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_credentials_are_invisible_to_expressions()
    {
        using var workspace = new TestWorkspace();
        var text = File.ReadAllText(Path.Combine(CorpusTests.Folder, "valid.two-sources.arazzo.yaml"))
            .Replace("outputs: { petId: $response.body#/id }", "outputs: { petId: $response.body#/id, stolen: $request.header.Authorization }", StringComparison.Ordinal)
            .Replace("note: 'pet {$steps.pet.outputs.petId}'", "note: $steps.pet.outputs.stolen", StringComparison.Ordinal);
        var document = await LoadAsync(workspace, text, "pets.openapi.yaml", "orders.openapi.yaml");
        var handler = Api(new()
        {
            ["GET /v1/pets/9"] = _ => (HttpStatusCode.OK, """{"id":9}"""),
            ["POST /orders"] = _ => (HttpStatusCode.Created, "{}"),
        });
        var options = new WorkflowRunOptions
        {
            SourceHeaders = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["pets"] = new Dictionary<string, string> { ["Authorization"] = "Bearer pets-secret" } },
        };

        var run = await RunAsync(document, handler, "buy", new() { ["id"] = "9" }, options);

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal("Bearer pets-secret", handler.Requests[0].Headers["Authorization"]);
        Assert.DoesNotContain("pets-secret", handler.Requests[1].Body!, StringComparison.Ordinal);
        Assert.Null(run.Steps[0].Outputs["stolen"]);
    }

    [Fact]
    public async Task Workflow_of_an_arazzo_source_runs_with_the_source_documents_own_operations()
    {
        var document = await CorpusAsync("valid.arazzo-source.arazzo.yaml");
        var handler = Api(new()
        {
            ["POST /token"] = _ => (HttpStatusCode.OK, """{"access_token":"t0k"}"""),
            ["GET /v1/pets"] = _ => (HttpStatusCode.OK, "[]"),
        });

        var run = await RunAsync(document, handler, "main", new() { ["clientId"] = "dep" });

        // dependsOn runs the source's login with main's inputs, then the step runs it again with its own parameters.
        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(["https://orders.example.test/token", "https://orders.example.test/token", "https://pets.example.test/v1/pets"], handler.Requests.Select(r => r.Url.AbsoluteUri));
        Assert.Equal("client_id=dep&grant_type=client_credentials", handler.Requests[0].Body);
        Assert.Equal("client_id=app&grant_type=client_credentials", handler.Requests[1].Body);
        Assert.Equal("Bearer t0k", handler.Requests[2].Headers["Authorization"]);
    }

    [Fact]
    public async Task A_workflow_that_runs_itself_stops_at_the_nesting_bound()
    {
        using var workspace = new TestWorkspace();
        var document = await LoadAsync(workspace, """
            arazzo: 1.0.1
            info: { title: Loop, version: 1.0.0 }
            sourceDescriptions:
              - { name: pets, url: ./pets.openapi.yaml, type: openapi }
            workflows:
              - workflowId: again
                steps:
                  - { stepId: self, workflowId: again }
            """, "pets.openapi.yaml");

        var run = await RunAsync(document, Api([]), "again");

        Assert.False(run.Succeeded);
        Assert.Equal(WorkflowFailureKind.InvalidDocument, run.Failure!.Kind);
        Assert.Contains("nested more than", run.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_schema_with_an_unresolvable_ref_is_a_clear_failure_not_a_crash()
    {
        using var workspace = new TestWorkspace();
        var document = await LoadAsync(workspace, """
            arazzo: 1.0.1
            info: { title: Ref, version: 1.0.0 }
            sourceDescriptions:
              - { name: pets, url: ./pets.openapi.yaml, type: openapi }
            workflows:
              - workflowId: main
                inputs: { type: object, properties: { a: { $ref: 'https://schemas.example.test/a.json' } } }
                steps:
                  - { stepId: list, operationId: listPets }
            """, "pets.openapi.yaml");
        var handler = Api([]);

        var run = await RunAsync(document, handler, "main", new() { ["a"] = 1 });

        Assert.Equal(WorkflowFailureKind.InvalidInputs, run.Failure!.Kind);
        Assert.Contains("cannot be evaluated", run.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }
}
