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
}
