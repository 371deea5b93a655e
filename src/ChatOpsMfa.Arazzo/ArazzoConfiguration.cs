using System.Globalization;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// The loader's configuration keys, read from flat configuration (<c>IConfiguration.AsEnumerable()</c>, environment
/// variables with '__' for ':'), so every front end (the <c>arazzo</c> tool, the bot's <c>workflow</c> command) reads
/// them the same way:
/// <c>Arazzo:AllowRemoteHosts</c> (comma-separated, or indexed <c>Arazzo:AllowRemoteHosts:0</c>),
/// <c>Arazzo:RemoteTimeout</c> (a time span, <c>00:00:10</c>) and <c>Arazzo:MaxSourceBytes</c>.
/// </summary>
public static class ArazzoConfiguration
{
    public const string AllowRemoteHostsKey = "Arazzo:AllowRemoteHosts";
    public const string RemoteTimeoutKey = "Arazzo:RemoteTimeout";
    public const string MaxSourceBytesKey = "Arazzo:MaxSourceBytes";

    /// <summary>
    /// Load options from <paramref name="configuration"/> plus the hosts named on a command line (<c>--allow-remote</c>).
    /// Throws <see cref="FormatException"/>, naming the key, for a value that is not a positive number or time span.
    /// </summary>
    public static ArazzoLoadOptions LoadOptions(
        IEnumerable<KeyValuePair<string, string?>> configuration, IEnumerable<string> allowedRemoteHosts, string? sourceRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(allowedRemoteHosts);
        var entries = configuration.ToList();
        var hosts = allowedRemoteHosts
            .Concat(entries
                .Where(c => c.Key.Equals(AllowRemoteHostsKey, StringComparison.OrdinalIgnoreCase)
                    || c.Key.StartsWith(AllowRemoteHostsKey + ":", StringComparison.OrdinalIgnoreCase))
                .SelectMany(c => (c.Value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToList();
        foreach (var host in hosts)
        {
            if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                throw new FormatException($"{AllowRemoteHostsKey} / --allow-remote: '{host}' is not a host name (give the host only, such as specs.example.com).");
            }
        }

        var options = new ArazzoLoadOptions
        {
            SourceRoot = sourceRoot is null ? null : Path.GetFullPath(sourceRoot),
            AllowedRemoteHosts = hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
        };
        if (Value(entries, RemoteTimeoutKey) is { } timeout)
        {
            options = options with
            {
                RemoteTimeout = TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero
                    ? parsed
                    : throw new FormatException($"{RemoteTimeoutKey}: '{timeout}' is not a positive time span (such as 00:00:10)."),
            };
        }

        if (Value(entries, MaxSourceBytesKey) is { } bytes)
        {
            options = options with
            {
                MaxSourceBytes = long.TryParse(bytes, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                    ? parsed
                    : throw new FormatException($"{MaxSourceBytesKey}: '{bytes}' is not a positive number of bytes."),
            };
        }

        return options;
    }

    private static string? Value(List<KeyValuePair<string, string?>> entries, string key) =>
        entries.LastOrDefault(c => c.Key.Equals(key, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(c.Value)).Value;
}
