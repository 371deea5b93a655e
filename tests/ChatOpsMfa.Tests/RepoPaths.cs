namespace ChatOpsMfa.Tests;

/// <summary>Finds the repository root (where ChatOpsMfa.sln is) and the official reference files copied into it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// Official schemas, descriptions and examples (tests/specs, each folder with its licence and provenance). They
    /// live in the repository so a clone alone passes the tests.
    /// </summary>
    public static string Specs => Path.Combine(Root, "tests", "specs");

    /// <summary>The host project's folder (its content root: wwwroot, appsettings).</summary>
    public static string WebProject => Path.Combine(Root, "src", "ChatOpsMfa");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatOpsMfa.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ChatOpsMfa.sln not found above " + AppContext.BaseDirectory);
    }
}
