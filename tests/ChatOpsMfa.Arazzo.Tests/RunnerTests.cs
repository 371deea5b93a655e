using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Arazzo.Tests;

public class RunnerTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private async Task<ArazzoDocument> LoadAsync(string workflows)
    {
        var result = await ArazzoDocumentLoader.LoadAsync(_workspace.WriteWorkflow(Fixtures.Document(workflows)), TestContext.Current.CancellationToken);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Document!;
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private const string ExpressionsWorkflow = """
        workflows:
          - workflowId: create
            inputs:
              type: object
              required: [name, age]
              properties:
                name: { type: string }
                age: { type: integer }
                tags: { type: array }
                owner: { type: object }
            parameters:
              - { name: X-Trace, in: header, value: 'trace-{$inputs.name}' }
            steps:
              - stepId: create
                operationId: createPet
                parameters:
                  - { name: dryRun, in: query, value: 'yes & no' }
                  - { name: session, in: cookie, value: $inputs.name }
                  - { name: optional, in: query, value: $inputs.notGiven }
                requestBody:
                  contentType: application/json
                  payload:
                    name: $inputs.name
                    age: $inputs.age
                    tags: '{$inputs.tags}'
                    label: 'Pet {$inputs.name} aged {$inputs.age}'
                    ownerName: $inputs.owner#/name
                    nested: [ { kept: 1, copy: $inputs.age } ]
                    replaced: old
                  replacements:
                    - { target: /replaced, value: $inputs.owner }
                successCriteria:
                  - condition: $statusCode == 201 && $response.header.location != null
                outputs:
                  id: $response.body#/id
                  location: $response.header.LOCATION
                  status: $statusCode
                  url: $url
                  method: $method
                  trace: $request.header.x-trace
                  dryRun: $request.query.dryRun
                  sentAge: $request.body#/age
              - stepId: fetch
                operationId: getPet
                parameters:
                  - { name: petId, in: path, value: $steps.create.outputs.id }
                successCriteria:
                  - condition: $response.body#/name == 'REX'
                outputs:
                  petPath: $request.path.petId
                  whole: $response.body
            outputs:
              id: $steps.create.outputs.id
              whole: $steps.fetch.outputs.whole
        """;

    private static Dictionary<string, JsonNode?> ExpressionInputs() => new()
    {
        ["name"] = "Rex",
        ["age"] = 4,
        ["tags"] = new JsonArray("a", "b"),
        ["owner"] = new JsonObject { ["name"] = "Ann" },
    };

    [Fact]
    public async Task Every_expression_form_reaches_the_request_and_the_outputs()
    {
        var document = await LoadAsync(ExpressionsWorkflow);
        var handler = new RecordingHandler(
            RecordingHandler.Json(HttpStatusCode.Created, """{"id":"p/1"}""", ("Location", "/pets/p1")),
            RecordingHandler.Json(HttpStatusCode.OK, """{"name":"Rex"}"""));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "create", ExpressionInputs(), cancellationToken: Token);

        Assert.True(run.Succeeded, run.Failure?.Message);
        var create = handler.Requests[0];
        Assert.Equal("POST", create.Method);
        Assert.Equal("https://pets.example.test/v1/pets?dryRun=yes%20%26%20no", create.Url.AbsoluteUri);
        Assert.Equal("trace-Rex", create.Headers["X-Trace"]);
        Assert.Equal("session=Rex", create.Headers["Cookie"]);
        Assert.Equal("application/json", create.Headers["Content-Type"]);
        var expectedBody = """
            {"name":"Rex","age":4,"tags":["a","b"],"label":"Pet Rex aged 4","ownerName":"Ann",
             "nested":[{"kept":1,"copy":4}],"replaced":{"name":"Ann"}}
            """;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expectedBody), JsonNode.Parse(create.Body!)), create.Body);
        Assert.Equal("https://pets.example.test/v1/pets/p%2F1", handler.Requests[1].Url.AbsoluteUri);

        var outputs = run.Steps[0].Outputs;
        Assert.Equal("p/1", outputs["id"]!.GetValue<string>());
        Assert.Equal("/pets/p1", outputs["location"]!.GetValue<string>());
        Assert.Equal(201, outputs["status"]!.GetValue<int>());
        Assert.Equal("https://pets.example.test/v1/pets?dryRun=yes%20%26%20no", outputs["url"]!.GetValue<string>());
        Assert.Equal("POST", outputs["method"]!.GetValue<string>());
        Assert.Equal("trace-Rex", outputs["trace"]!.GetValue<string>());
        Assert.Equal("yes & no", outputs["dryRun"]!.GetValue<string>());
        Assert.Equal(4, outputs["sentAge"]!.GetValue<int>());
        Assert.Equal("p/1", run.Steps[1].Outputs["petPath"]!.GetValue<string>());
        Assert.Equal("p/1", run.Outputs["id"]!.GetValue<string>());
        Assert.Equal("Rex", run.Outputs["whole"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("name", null, "'name'")]
    [InlineData("age", "\"four\"", "'age'")]
    public async Task Missing_or_ill_typed_input_fails_before_any_request(string input, string? json, string named)
    {
        var document = await LoadAsync(ExpressionsWorkflow);
        var handler = new RecordingHandler(RecordingHandler.Status(HttpStatusCode.Created));
        var inputs = ExpressionInputs();
        if (json is null)
        {
            inputs.Remove(input);
        }
        else
        {
            inputs[input] = JsonNode.Parse(json);
        }

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "create", inputs, cancellationToken: Token);

        Assert.Equal(WorkflowFailureKind.InvalidInputs, run.Failure!.Kind);
        Assert.Contains(named, run.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("four", run.Failure.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Unknown_workflow_is_reported()
    {
        var document = await LoadAsync(ExpressionsWorkflow);

        var run = await new ArazzoWorkflowRunner(new HttpClient(new RecordingHandler())).RunAsync(document, "nope", ExpressionInputs(), cancellationToken: Token);

        Assert.Equal(WorkflowFailureKind.UnknownWorkflow, run.Failure!.Kind);
    }

    private const string FlowWorkflow = """
        workflows:
          - workflowId: flow
            steps:
              - stepId: list
                operationId: listPets
                successCriteria:
                  - condition: $statusCode == 200
                onSuccess:
                  - name: skipToEnd
                    type: end
                    criteria:
                      - condition: $response.body#/done == true
                  - name: jump
                    type: goto
                    stepId: fetch
                    criteria:
                      - { context: $response.body#/next, type: regex, condition: '^pet-' }
                onFailure:
                  - name: backOff
                    type: retry
                    retryAfter: 100
                    retryLimit: 2
                    criteria:
                      - condition: $statusCode == 503
              - stepId: create
                operationId: createPet
              - stepId: fetch
                operationId: getPet
                parameters:
                  - { name: petId, in: path, value: fixed }
        """;

    [Fact]
    public async Task End_action_stops_with_success()
    {
        var document = await LoadAsync(FlowWorkflow);
        var handler = new RecordingHandler(RecordingHandler.Json(HttpStatusCode.OK, """{"done":true}"""));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: Token);

        Assert.True(run.Succeeded);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Goto_action_skips_to_the_named_step()
    {
        var document = await LoadAsync(FlowWorkflow);
        var handler = new RecordingHandler(RecordingHandler.Json(HttpStatusCode.OK, """{"done":false,"next":"pet-7"}"""), RecordingHandler.Json(HttpStatusCode.OK, "{}"));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: Token);

        Assert.True(run.Succeeded);
        Assert.Equal(["GET /v1/pets", "GET /v1/pets/fixed"], handler.Requests.Select(r => $"{r.Method} {r.Url.AbsolutePath}"));
    }

    [Fact]
    public async Task No_action_goes_on_to_the_next_step()
    {
        var document = await LoadAsync(FlowWorkflow);
        var handler = new RecordingHandler(RecordingHandler.Json(HttpStatusCode.OK, """{"done":false}"""), RecordingHandler.Json(HttpStatusCode.OK, "{}"));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: Token);

        Assert.True(run.Succeeded);
        Assert.Equal(["list", "create", "fetch"], run.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task Retry_waits_for_the_retry_after_header_then_succeeds()
    {
        var document = await LoadAsync(FlowWorkflow);
        var handler = new RecordingHandler(
            RecordingHandler.Status(HttpStatusCode.ServiceUnavailable, ("Retry-After", "3")),
            RecordingHandler.Json(HttpStatusCode.OK, """{"done":true}"""));
        var time = new FakeTimeProvider();
        var started = time.GetUtcNow();
        var attempts = new List<StepAttempt>();
        var options = new WorkflowRunOptions { OnStepStarting = (a, _) => { attempts.Add(a); return Task.CompletedTask; } };

        var running = new ArazzoWorkflowRunner(new HttpClient(handler), time).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), options, Token);
        while (!running.IsCompleted && time.GetUtcNow() - started < TimeSpan.FromSeconds(200))
        {
            await Task.Delay(5, Token);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var run = await running;
        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal("listPets", attempts[0].OperationId);
        Assert.True(time.GetUtcNow() - started < TimeSpan.FromSeconds(100), "Retry-After: 3 must override retryAfter: 100");
    }

    [Fact]
    public async Task Retry_limit_exhausted_fails_the_step()
    {
        var document = await LoadAsync(FlowWorkflow.Replace("retryAfter: 100", "retryAfter: 0", StringComparison.Ordinal));
        var handler = new RecordingHandler(RecordingHandler.Status(HttpStatusCode.ServiceUnavailable));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: Token);

        Assert.Equal(WorkflowFailureKind.StepFailed, run.Failure!.Kind);
        Assert.Equal(("list", 503), (run.Failure.StepId, run.Failure.StatusCode));
        Assert.Equal(3, handler.Requests.Count); // first attempt + retryLimit 2
    }

    [Fact]
    public async Task Failure_without_matching_action_stops_the_run()
    {
        var document = await LoadAsync(FlowWorkflow);
        var handler = new RecordingHandler(RecordingHandler.Json(HttpStatusCode.NotFound, """{"error":"x"}"""));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: Token);

        Assert.False(run.Succeeded);
        Assert.Equal("step 'list' failed: the API answered HTTP 404; the success criterion '$statusCode == 200' did not hold", run.Failure!.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Transport_error_is_a_transport_failure()
    {
        var document = await LoadAsync(FlowWorkflow);
        var handler = new RecordingHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: Token);

        Assert.Equal(WorkflowFailureKind.Transport, run.Failure!.Kind);
        Assert.Equal("list", run.Failure.StepId);
    }

    [Fact]
    public async Task Caller_cancellation_propagates()
    {
        var document = await LoadAsync(FlowWorkflow);
        using var cancellation = new CancellationTokenSource();
        var handler = new RecordingHandler(_ =>
        {
            cancellation.Cancel();
            throw new TaskCanceledException();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "flow", new Dictionary<string, JsonNode?>(), cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task Resume_skips_done_steps_and_uses_their_outputs()
    {
        var document = await LoadAsync(ExpressionsWorkflow);
        var handler = new RecordingHandler(RecordingHandler.Json(HttpStatusCode.OK, """{"name":"rex"}"""));
        var done = new StepResult("create", true, 201, new Dictionary<string, JsonNode?> { ["id"] = "p9" }, null, new Dictionary<string, string>());
        var completed = new List<string>();
        var options = new WorkflowRunOptions
        {
            StartAtStepId = "fetch",
            CompletedSteps = [done],
            ServerUrl = new Uri("http://127.0.0.1:1/base/"),
            OnStepCompleted = (r, _) => { completed.Add(r.StepId); return Task.CompletedTask; },
        };

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "create", ExpressionInputs(), options, Token);

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal("http://127.0.0.1:1/base/pets/p9", Assert.Single(handler.Requests).Url.AbsoluteUri);
        Assert.Equal(["fetch"], completed);
        Assert.Equal("p9", run.Outputs["id"]!.GetValue<string>());
    }
}
