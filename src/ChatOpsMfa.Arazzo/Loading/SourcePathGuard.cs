namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Confines source description files to one folder: the URL is resolved against the document's folder, every
/// symbolic link on the way is followed, and the real path must stay inside the real root. A path outside is
/// refused before the file system is asked about it, so the answer never tells whether such a file exists.
/// </summary>
internal static class SourcePathGuard
{
    private const int MaxLinkHops = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>True for a URL with a scheme other than file (http, https, ...).</summary>
    public static bool IsRemote(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1 && !absolute.IsFile;

    /// <summary>The real path to open, or null when the URL leads outside <paramref name="root"/>.</summary>
    public static string? Resolve(string url, string documentFolder, string root)
    {
        string candidate;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1)
        {
            candidate = absolute.LocalPath;
        }
        else
        {
            var relative = Uri.UnescapeDataString(url.Split('#', '?')[0]);
            candidate = Path.GetFullPath(Path.Combine(documentFolder, relative));
        }

        var realRoot = RealPath(Path.GetFullPath(root));
        if (!IsInside(Path.GetFullPath(candidate), Path.GetFullPath(root)) && !IsInside(Path.GetFullPath(candidate), realRoot))
        {
            return null;
        }

        var real = RealPath(Path.GetFullPath(candidate));
        return IsInside(real, realRoot) ? real : null;
    }

    /// <summary>
    /// For a relative URL that leads out of the document's folder (a sibling <c>../openapi/x.yaml</c>), the nearest
    /// folder holding both, worked out from the text alone (the file system is not asked); null for an absolute URL or
    /// when that folder would be the file system's root.
    /// </summary>
    public static string? CommonFolder(string url, string documentFolder)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1 || Path.IsPathRooted(url))
        {
            return null;
        }

        var candidate = Path.GetFullPath(Path.Combine(documentFolder, Uri.UnescapeDataString(url.Split('#', '?')[0])));
        var common = Path.GetFullPath(documentFolder);
        while (!IsInside(candidate, common))
        {
            common = Path.GetDirectoryName(common);
            if (common is null)
            {
                return null;
            }
        }

        return Path.GetPathRoot(common) == common ? null : common;
    }

    public static string RealPath(string fullPath) => RealPath(fullPath, 0);

    private static bool IsInside(string path, string root)
    {
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, PathComparison);
    }

    private static string RealPath(string fullPath, int hops)
    {
        var current = Path.GetPathRoot(fullPath) ?? string.Empty;
        var segments = fullPath[current.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            var next = Path.Combine(current, segment);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException("too many levels of symbolic links");
                }

                next = RealPath(Path.GetFullPath(target, current), hops);
            }

            current = next;
        }

        return current;
    }
}
