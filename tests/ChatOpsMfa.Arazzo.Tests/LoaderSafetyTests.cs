using System.Text;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>
/// Attacks on the loader (issue 9, point 18): YAML alias bombs, oversized or deeply nested documents, and source
/// descriptions that point outside the document's folder.
/// </summary>
public class LoaderSafetyTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "arazzo-outside-" + Guid.NewGuid().ToString("N"));

    public LoaderSafetyTests() => Directory.CreateDirectory(_outside);

    public void Dispose()
    {
        _workspace.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    private const string Workflow = """
        workflows:
          - workflowId: list
            steps:
              - stepId: list
                operationId: listPets
                successCriteria:
                  - condition: $statusCode == 200
        """;

    private Task<ArazzoLoadResult> LoadAsync(string path) => ArazzoDocumentLoader.LoadAsync(path, TestContext.Current.CancellationToken);

    private static string WithSource(string url) =>
        Fixtures.Header.Replace("url: ./petstore.yaml", $"url: '{url}'", StringComparison.Ordinal) + "\n" + Workflow;

    [Fact]
    public async Task Yaml_alias_in_the_document_is_refused()
    {
        var yaml = Fixtures.Document(Workflow)
            .Replace("- condition: $statusCode == 200", "- &ok { condition: $statusCode == 200 }\n          - *ok", StringComparison.Ordinal);

        var result = await LoadAsync(_workspace.WriteWorkflow(yaml));

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"\(\d+:\d+\)", error.Location);
    }

    [Fact]
    public async Task Billion_laughs_document_is_refused_with_a_clear_error()
    {
        var result = await LoadAsync(_workspace.WriteWorkflow(Fixtures.Document(Workflow) + "\n" + BillionLaughs()));

        Assert.Null(result.Document);
        Assert.Contains("aliases", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Billion_laughs_in_an_openapi_source_is_refused()
    {
        var path = _workspace.WriteWorkflow(Fixtures.Document(Workflow));
        _workspace.Write("petstore.yaml", Fixtures.PetStoreOpenApi + "\n" + BillionLaughs());

        var result = await LoadAsync(path);

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal("/sourceDescriptions/0/url", error.Pointer);
        Assert.Contains("aliases", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_document_is_refused_naming_the_limit()
    {
        var padding = new StringBuilder().Insert(0, "# padding padding padding padding padding padding padding padding\n", 70_000).ToString();

        var result = await LoadAsync(_workspace.WriteWorkflow(Fixtures.Document(Workflow) + "\n" + padding));

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Contains($"limit is {ArazzoLoadOptions.DefaultMaxDocumentBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_openapi_source_is_refused_naming_the_limit()
    {
        var path = _workspace.WriteWorkflow(Fixtures.Document(Workflow));
        _workspace.Write("petstore.yaml", Fixtures.PetStoreOpenApi + "\n# " + new string('x', 4096));

        var result = await ArazzoDocumentLoader.LoadAsync(path, new ArazzoLoadOptions { MaxSourceBytes = 2048 }, TestContext.Current.CancellationToken);

        var error = Assert.Single(result.Errors);
        Assert.Equal("/sourceDescriptions/0/url", error.Pointer);
        Assert.Contains("limit is 2048 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deeply_nested_document_is_refused_before_it_can_exhaust_the_stack()
    {
        const int depth = 200_000;
        var deep = "x-deep: " + new string('[', depth) + new string(']', depth) + "\n";

        var result = await LoadAsync(_workspace.WriteWorkflow(Fixtures.Document(Workflow) + "\n" + deep));

        Assert.Null(result.Document);
        Assert.Contains($"nested more than {ArazzoLoadOptions.MaxNestingDepth} levels", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    /// <summary>Held by Microsoft.OpenApi's own reader (depth limit); pinned so an upgrade cannot lose it.</summary>
    [Theory]
    [InlineData("petstore.yaml")]
    [InlineData("petstore.json")]
    public async Task Deeply_nested_openapi_source_is_refused_before_it_can_exhaust_the_stack(string file)
    {
        const int depth = 200_000;
        var path = _workspace.Write("w.arazzo.yaml", WithSource(file));
        _workspace.Write(file, "{\"openapi\": \"3.0.3\", \"x-deep\": " + new string('[', depth) + new string(']', depth) + "}");

        var result = await LoadAsync(path);

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal("/sourceDescriptions/0/url", error.Pointer);
        Assert.Contains("is not a readable OpenAPI description", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_url_climbing_out_of_the_folder_is_refused()
    {
        File.WriteAllText(Path.Combine(_outside, "petstore.yaml"), Fixtures.PetStoreOpenApi);
        var relative = Path.GetRelativePath(_workspace.Root, Path.Combine(_outside, "petstore.yaml"));

        var result = await LoadAsync(_workspace.Write("w.arazzo.yaml", WithSource(relative)));

        AssertOutsideRefused(result);
    }

    [Fact]
    public async Task Source_url_to_etc_passwd_is_refused_without_quoting_the_file()
    {
        var result = await LoadAsync(_workspace.Write("w.arazzo.yaml", WithSource("../../../../../../../../etc/passwd")));

        AssertOutsideRefused(result);
        Assert.DoesNotContain("root:", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("absolute")]
    [InlineData("file-url")]
    public async Task Absolute_source_path_is_refused(string form)
    {
        var target = Path.Combine(_outside, "petstore.yaml");
        File.WriteAllText(target, Fixtures.PetStoreOpenApi);
        var url = form == "absolute" ? target : new Uri(target).AbsoluteUri;

        var result = await LoadAsync(_workspace.Write("w.arazzo.yaml", WithSource(url)));

        AssertOutsideRefused(result);
    }

    [Fact]
    public async Task Symlink_escaping_the_folder_is_refused()
    {
        File.WriteAllText(Path.Combine(_outside, "petstore.yaml"), Fixtures.PetStoreOpenApi);
        File.CreateSymbolicLink(Path.Combine(_workspace.Root, "petstore.yaml"), Path.Combine(_outside, "petstore.yaml"));

        var result = await LoadAsync(_workspace.Write("w.arazzo.yaml", Fixtures.Document(Workflow)));

        AssertOutsideRefused(result);
    }

    [Fact]
    public async Task Symlinked_folder_escaping_the_folder_is_refused()
    {
        File.WriteAllText(Path.Combine(_outside, "petstore.yaml"), Fixtures.PetStoreOpenApi);
        Directory.CreateSymbolicLink(Path.Combine(_workspace.Root, "apis"), _outside);

        var result = await LoadAsync(_workspace.Write("w.arazzo.yaml", WithSource("apis/petstore.yaml")));

        AssertOutsideRefused(result);
    }

    [Fact]
    public async Task Outside_file_that_does_not_exist_gets_the_same_message_as_one_that_does()
    {
        File.WriteAllText(Path.Combine(_outside, "petstore.yaml"), Fixtures.PetStoreOpenApi);
        var existing = await LoadAsync(_workspace.Write("a.arazzo.yaml", WithSource(Path.Combine(_outside, "petstore.yaml"))));
        var missing = await LoadAsync(_workspace.Write("b.arazzo.yaml", WithSource(Path.Combine(_outside, "nothing.yaml"))));

        Assert.Equal(
            Assert.Single(existing.Errors).Message.Replace("petstore.yaml", "X", StringComparison.Ordinal),
            Assert.Single(missing.Errors).Message.Replace("nothing.yaml", "X", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Source_in_a_subfolder_and_a_symlink_staying_inside_are_read()
    {
        _workspace.Write("apis/petstore.yaml", Fixtures.PetStoreOpenApi);
        File.CreateSymbolicLink(Path.Combine(_workspace.Root, "link.yaml"), Path.Combine(_workspace.Root, "apis", "petstore.yaml"));

        var sub = await LoadAsync(_workspace.Write("a.arazzo.yaml", WithSource("./apis/petstore.yaml")));
        var link = await LoadAsync(_workspace.Write("b.arazzo.yaml", WithSource("link.yaml")));

        Assert.True(sub.IsValid, string.Join("\n", sub.Diagnostics));
        Assert.True(link.IsValid, string.Join("\n", link.Diagnostics));
    }

    [Fact]
    public async Task A_wider_source_root_named_by_the_caller_is_honoured_and_still_confines()
    {
        _workspace.Write("openapi/petstore.yaml", Fixtures.PetStoreOpenApi);
        var path = _workspace.Write("workflows/w.arazzo.yaml", WithSource("../openapi/petstore.yaml"));
        File.WriteAllText(Path.Combine(_outside, "petstore.yaml"), Fixtures.PetStoreOpenApi);
        var escaping = _workspace.Write("workflows/x.arazzo.yaml", WithSource(Path.Combine(_outside, "petstore.yaml")));
        var options = new ArazzoLoadOptions { SourceRoot = _workspace.Root };

        var byDefault = await LoadAsync(path);
        var widened = await ArazzoDocumentLoader.LoadAsync(path, options, TestContext.Current.CancellationToken);
        var escaped = await ArazzoDocumentLoader.LoadAsync(escaping, options, TestContext.Current.CancellationToken);

        AssertOutsideRefused(byDefault);
        Assert.True(widened.IsValid, string.Join("\n", widened.Diagnostics));
        AssertOutsideRefused(escaped);
    }

    private static void AssertOutsideRefused(ArazzoLoadResult result)
    {
        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal("/sourceDescriptions/0/url", error.Pointer);
        Assert.Contains("outside the folder", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Nine levels of nine aliases: about 387 million nodes once expanded, a few hundred bytes written.</summary>
    private static string BillionLaughs()
    {
        var text = new StringBuilder("x-lol:\n  l0: &l0 [lol]\n");
        for (var level = 1; level <= 9; level++)
        {
            var previous = string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 9));
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  l{level}: &l{level} [{previous}]\n");
        }

        return text.ToString();
    }
}
