namespace ChatOpsMfa.Tests;

/// <summary>Finds the repository root (where ChatOpsMfa.sln is) and the shared reference folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The read-only shared folder (specs, seed, facts), which sits next to the repository.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Specs => Path.Combine(Shared, "specs");

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
