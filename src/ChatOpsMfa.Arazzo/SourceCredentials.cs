namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Per-source headers (credentials) from configuration keys <c>Arazzo:Sources:{name}:Headers:{header}</c>, ready for
/// <see cref="WorkflowRunOptions.SourceHeaders"/>. Each source's headers go only to that source's operations.
/// </summary>
public static class SourceCredentials
{
    public const string Prefix = "Arazzo:Sources:";

    /// <param name="configuration">Flattened configuration (key, value); keys compare case-insensitively.</param>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> FromConfiguration(IEnumerable<KeyValuePair<string, string?>> configuration)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration)
        {
            if (value is null || !key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parts = key[Prefix.Length..].Split(':');
            if (parts is [var source, var headers, var header] && headers.Equals("Headers", StringComparison.OrdinalIgnoreCase) && source.Length > 0 && header.Length > 0)
            {
                if (!result.TryGetValue(source, out var map))
                {
                    result[source] = map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                }

                map[header] = value;
            }
        }

        return result.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, string>)r.Value, StringComparer.Ordinal);
    }
}
