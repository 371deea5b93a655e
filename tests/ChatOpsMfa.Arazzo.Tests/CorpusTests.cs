namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>
/// The validator corpus: our own fixtures, one per feature (Corpus/valid.*) and one per rule (Corpus/invalid.*,
/// whose first line names the one error expected: "# expect: POINTER | message part"). One problem, one message.
/// </summary>
public class CorpusTests
{
    internal static readonly string Folder = Path.Combine(ChatOpsMfa.Tests.RepoPaths.Root, "tests", "ChatOpsMfa.Arazzo.Tests", "Corpus");

    public static TheoryData<string> Valid() => new(Directory.GetFiles(Folder, "valid.*").Select(Path.GetFileName).Order()!);

    public static TheoryData<string> Invalid() => new(Directory.GetFiles(Folder, "invalid.*").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task Valid_fixture_validates_without_errors(string file)
    {
        var result = await ArazzoDocumentLoader.LoadAsync(Path.Combine(Folder, file), TestContext.Current.CancellationToken);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Document);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_fixture_is_refused_with_exactly_one_error_at_the_right_place(string file)
    {
        var path = Path.Combine(Folder, file);
        var expect = File.ReadLines(path).First()["# expect: ".Length..].Split(" | ");

        var result = await ArazzoDocumentLoader.LoadAsync(path, TestContext.Current.CancellationToken);

        Assert.Null(result.Document);
        var errors = result.Errors.ToList();
        Assert.True(errors.Count == 1, $"expected one error, got {errors.Count}:\n{string.Join("\n", errors)}");
        var error = errors[0];
        Assert.True(error.Pointer == expect[0], $"expected the error at {expect[0]}, got: {error}");
        Assert.Contains(expect[1].Trim(), error.Message, StringComparison.Ordinal);
    }
}
