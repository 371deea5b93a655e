namespace ChatOpsMfa.BrowserTests;

internal static class RepositoryPaths
{
    /// <summary>The folder holding ChatOpsMfa.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string WebProject => Path.Combine(Root, "src", "ChatOpsMfa");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChatOpsMfa.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ChatOpsMfa.sln not found above " + AppContext.BaseDirectory);
    }
}
