namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>The official schema's own pass/fail samples (OAI/Arazzo-Specification tests/v1.0).</summary>
public class SchemaSampleTests
{
    private static readonly string SamplesFolder = Path.Combine(ChatOpsMfa.Tests.RepoPaths.Specs, "arazzo", "tests-v1.0");

    public static TheoryData<string> PassSamples() => new(Directory.GetFiles(Path.Combine(SamplesFolder, "pass")).Select(Path.GetFileName)!);

    public static TheoryData<string> FailSamples() => new(Directory.GetFiles(Path.Combine(SamplesFolder, "fail")).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(PassSamples))]
    public void Pass_sample_has_no_schema_error(string file)
    {
        var parsed = YamlJsonReader.Parse(File.ReadAllText(Path.Combine(SamplesFolder, "pass", file)));

        Assert.Empty(ArazzoSchemaValidator.Validate(parsed.Root));
    }

    [Theory]
    [MemberData(nameof(FailSamples))]
    public async Task Fail_sample_is_rejected_by_the_loader(string file)
    {
        var result = await ArazzoDocumentLoader.LoadAsync(Path.Combine(SamplesFolder, "fail", file), TestContext.Current.CancellationToken);

        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        Assert.Contains(result.Errors, d => d.Message.StartsWith("schema", StringComparison.Ordinal));
    }

    [Fact]
    public void Embedded_schema_is_the_official_file_unmodified()
    {
        var embedded = ArazzoSchemaValidator.LoadOfficialSchema().ToJsonString();
        var official = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(ChatOpsMfa.Tests.RepoPaths.Specs, "arazzo", "schema.json")))!.ToJsonString();

        Assert.Equal(official, embedded);
    }
}
