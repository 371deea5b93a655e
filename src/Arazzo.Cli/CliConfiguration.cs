using System.Collections;
using System.Text.Json;

namespace Arazzo.Cli;

/// <summary>
/// Configuration as flat keys (<c>Arazzo:Sources:pets:Headers:Authorization</c>): environment variables, where '__'
/// stands for ':' (<c>Arazzo__Sources__pets__Headers__Authorization</c>), and an optional JSON file (--config).
/// </summary>
internal static class CliConfiguration
{
    public static IReadOnlyList<KeyValuePair<string, string?>> FromEnvironment()
    {
        var result = new List<KeyValuePair<string, string?>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = ((string)entry.Key).Replace("__", ":", StringComparison.Ordinal);
            if (key.StartsWith("Arazzo:", StringComparison.OrdinalIgnoreCase))
            {
                result.Add(new(key, entry.Value as string));
            }
        }

        return result;
    }

    /// <summary>The JSON file's values, flattened; objects nest with ':', arrays by index.</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> FromJsonFile(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<KeyValuePair<string, string?>>();
        Flatten(document.RootElement, string.Empty, result);
        return result;
    }

    private static void Flatten(JsonElement element, string prefix, List<KeyValuePair<string, string?>> result)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : prefix + ":" + property.Name, result);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, prefix + ":" + index++, result);
                }

                break;
            case JsonValueKind.String:
                result.Add(new(prefix, element.GetString()));
                break;
            default:
                result.Add(new(prefix, element.GetRawText()));
                break;
        }
    }
}
