using System.Text.RegularExpressions;

namespace ChatOpsMfa.Tests.Repository;

/// <summary>
/// A clone of the repository, with nothing beside it, passes the tests: nothing the build, the tests or CI run
/// reaches outside the repository for reference data, and every copied reference file carries its licence and
/// provenance.
/// </summary>
public sealed partial class StandaloneRepositoryTests
{
    private static readonly string[] CodeFolders = ["src", "tests", "bench", ".ci", "manifests"];

    [GeneratedRegex(@"\.\./shared\b|/work/shared\b|""shared""\s*[,)]")]
    private static partial Regex OutsideReference();

    [Fact]
    public void No_code_reads_the_shared_folder_beside_the_repository()
    {
        var offenders = CodeFolders
            .Select(folder => Path.Combine(RepoPaths.Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(IsSource)
            .Where(file => OutsideReference().IsMatch(File.ReadAllText(file)))
            .Select(file => Path.GetRelativePath(RepoPaths.Root, file))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_copied_reference_folder_has_its_licence_and_provenance()
    {
        var folders = Directory.GetDirectories(RepoPaths.Specs);
        Assert.Contains(folders, f => Path.GetFileName(f) == "slack");

        foreach (var folder in folders)
        {
            var names = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!.ToUpperInvariant()).ToList();
            Assert.True(names.Any(n => n.StartsWith("PROVENANCE", StringComparison.Ordinal) || n.StartsWith("SOURCE", StringComparison.Ordinal)),
                $"{Path.GetFileName(folder)} has no PROVENANCE or SOURCE file");
            if (Path.GetFileName(folder) != "seed")
            {
                Assert.True(names.Any(n => n.Contains("LICENSE", StringComparison.Ordinal)),
                    $"{Path.GetFileName(folder)} has no licence file");
            }
        }
    }

    private static bool IsSource(string file)
    {
        if (file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            || file.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            || file.StartsWith(RepoPaths.Specs, StringComparison.Ordinal)
            || file.EndsWith($"{nameof(StandaloneRepositoryTests)}.cs", StringComparison.Ordinal))
        {
            return false;
        }

        return Path.GetExtension(file) is ".cs" or ".csproj" or ".props" or ".json" or ".sh" or ".js" or ".yml" or ".yaml" or ""
            && new FileInfo(file).Length < 2_000_000;
    }
}
