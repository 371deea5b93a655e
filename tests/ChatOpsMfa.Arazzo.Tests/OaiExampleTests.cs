namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>The OpenAPI Initiative's own examples, validated with local copies of their sources (see SOURCE.md there).</summary>
public class OaiExampleTests
{
    private static readonly string Folder = Path.Combine(ChatOpsMfa.Tests.RepoPaths.Specs, "arazzo", "examples-1.0.0");

    private static Task<ArazzoLoadResult> LoadAsync(string file) => ArazzoDocumentLoader.LoadAsync(Path.Combine(Folder, file), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Oauth_example_is_valid_and_its_comparison_conditions_are_read_as_filter_expressions()
    {
        var result = await LoadAsync("oauth-example.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(4, result.Warnings.Count(w => w.Message.Contains("filter expression", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pet_coupons_example_is_refused_for_its_misnamed_path_parameter_only()
    {
        var result = await LoadAsync("pet-coupons-example.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/1/parameters/0/name", error.Pointer);
        Assert.Contains("'pet_id' is not a variable of '/pet/{petId}/coupons'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bnpl_example_is_refused_for_its_dangling_outputs_and_its_headers_typo()
    {
        var result = await LoadAsync("bnpl-example.yaml");

        Assert.Equal(
            ["/workflows/0/steps/4/parameters/0/value", "/workflows/0/steps/4/outputs/redirectUrl", "/workflows/0/steps/5/parameters/0/value", "/workflows/0/steps/6/parameters/0/value"],
            result.Errors.Select(e => e.Pointer));
        Assert.Contains("unknown source 'headers'", result.Errors.ElementAt(1).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_component_input_refs_resolve_so_inputs_are_checked_against_them()
    {
        var path = Path.Combine(Folder, "pet-coupons-example.yaml");
        using var workspace = new TestWorkspace();
        File.Copy(Path.Combine(Folder, "pet-coupons.openapi.yaml"), Path.Combine(workspace.Root, "pet-coupons.openapi.yaml"));
        var fixedText = File.ReadAllText(path).Replace("- name: pet_id\n            in: path", "- name: petId\n            in: path", StringComparison.Ordinal);
        var loaded = await ArazzoDocumentLoader.LoadAsync(workspace.Write("pet-coupons.arazzo.yaml", fixedText), TestContext.Current.CancellationToken);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));

        var run = await new ArazzoWorkflowRunner(new HttpClient(new RecordingHandler(RecordingHandler.Status(System.Net.HttpStatusCode.OK))))
            .RunAsync(loaded.Document!, "apply-coupon", new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["store_id"] = 42 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(WorkflowFailureKind.InvalidInputs, run.Failure!.Kind);
        Assert.Contains("input 'store_id' does not match its schema (type)", run.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oauth_example_refresh_flow_runs_its_nested_authorization_code_flow_first()
    {
        var document = (await LoadAsync("oauth-example.yaml")).Document!;
        var handler = new RecordingHandler(request => request.RequestUri!.AbsolutePath switch
        {
            "/authorize" => RecordingHandler.Json(System.Net.HttpStatusCode.OK, """{"code":"c1"}""")(request),
            _ when request.Content!.ReadAsStringAsync().Result.Contains("grant_type=authorization_code", StringComparison.Ordinal) =>
                RecordingHandler.Json(System.Net.HttpStatusCode.OK, """{"access_token":"a1","refresh_token":"r1","expires_in":3600}""")(request),
            _ => RecordingHandler.Json(System.Net.HttpStatusCode.OK, """{"access_token":"a2","refresh_token":"r2","expires_in":3600}""")(request),
        });
        var inputs = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["my_client_id"] = "app", ["my_client_secret"] = "s3cret", ["my_redirect_uri"] = "https://app.example/cb" };

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, "refresh-token-flow", inputs, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(["GET /authorize", "POST /oauth/token", "POST /oauth/token"], handler.Requests.Select(r => r.Method + " " + r.Url.AbsolutePath));
        Assert.Equal("https://auth.example.com/authorize?client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=read&state=12345", handler.Requests[0].Url.AbsoluteUri);
        Assert.Contains("code=c1", handler.Requests[1].Body, StringComparison.Ordinal);
        Assert.Equal("grant_type=refresh_token&refresh_token=r1", handler.Requests[2].Body);
        Assert.Equal("a2", run.Outputs["access_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fapi_par_example_is_refused_for_its_operationId_whose_case_differs_from_the_description_only()
    {
        var result = await LoadAsync("FAPI-PAR.arazzo.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/workflows/0/steps/0/operationId", error.Pointer);
        Assert.Contains("operationId '$sourceDescriptions.auth-api.PAR' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fapi_par_example_with_the_operationId_spelt_as_described_is_valid()
    {
        using var workspace = new TestWorkspace();
        File.Copy(Path.Combine(Folder, "FAPI-PAR.openapi.yaml"), Path.Combine(workspace.Root, "FAPI-PAR.openapi.yaml"));
        var fixedCase = (await File.ReadAllTextAsync(Path.Combine(Folder, "FAPI-PAR.arazzo.yaml"), TestContext.Current.CancellationToken))
            .Replace("operationId: $sourceDescriptions.auth-api.PAR\n", "operationId: $sourceDescriptions.auth-api.Par\n", StringComparison.Ordinal);

        var result = await ArazzoDocumentLoader.LoadAsync(workspace.Write("FAPI-PAR.arazzo.yaml", fixedCase), TestContext.Current.CancellationToken);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [Fact]
    public async Task Extended_parameters_example_is_refused_because_its_source_file_is_not_in_the_repository()
    {
        var result = await LoadAsync("ExtendedParametersExample.arazzo.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/sourceDescriptions/0/url", error.Pointer);
        Assert.Contains("source description 'animals' not found", error.Message, StringComparison.Ordinal);
    }
}
