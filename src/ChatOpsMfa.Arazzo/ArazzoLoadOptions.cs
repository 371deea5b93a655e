namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Limits that keep a hostile document from exhausting the loader, and the folder source descriptions are read from.
/// </summary>
public sealed record ArazzoLoadOptions
{
    /// <summary>4 MiB: a large hand-written workflow is well under 100 KiB.</summary>
    public const long DefaultMaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>32 MiB: the largest public OpenAPI descriptions (whole cloud providers) fit.</summary>
    public const long DefaultMaxSourceBytes = 32 * 1024 * 1024;

    /// <summary>Deeper nesting is refused before it can exhaust the stack (System.Text.Json stops at 64 too).</summary>
    public const int MaxNestingDepth = 60;

    public long MaxDocumentBytes { get; init; } = DefaultMaxDocumentBytes;

    public long MaxSourceBytes { get; init; } = DefaultMaxSourceBytes;

    /// <summary>
    /// The folder local source descriptions must lie in (after following symbolic links). Null means the
    /// document's own folder. A caller widens it only for a layout it ships, such as <c>workflows/</c> beside
    /// <c>openapi/</c>.
    /// </summary>
    public string? SourceRoot { get; init; }

    /// <summary>
    /// Hosts remote source descriptions may be fetched from (exact host names, compared case-insensitively). Empty by
    /// default: remote sources are refused. https only (http for loopback hosts), no redirects, at most
    /// <see cref="MaxSourceBytes"/>, within <see cref="RemoteTimeout"/>.
    /// </summary>
    public IReadOnlyCollection<string> AllowedRemoteHosts { get; init; } = [];

    public TimeSpan RemoteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The client remote sources are fetched with; null: one without redirects is made for the load.</summary>
    public HttpClient? RemoteHttpClient { get; init; }
}
