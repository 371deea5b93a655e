using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>
/// The card templates from <c>cards/*.json</c>, embedded in the assembly as <c>cards.{name}.json</c>.
/// Parsed once; the binder never modifies a template, so the parsed tree can be shared.
/// </summary>
internal static class AdaptiveCardTemplates
{
    private static readonly ConcurrentDictionary<string, JsonObject> Cache = new(StringComparer.Ordinal);

    /// <summary>The template named <paramref name="name"/> (e.g. "approval" for cards/approval.json).</summary>
    /// <exception cref="ArgumentException">No such template: a programming error, not a user's.</exception>
    public static JsonObject Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"'{name}' is not a card template name.", nameof(name));
        }

        return Cache.GetOrAdd(name, Load);
    }

    private static JsonObject Load(string name)
    {
        var assembly = typeof(AdaptiveCardTemplates).Assembly;
        using var stream = assembly.GetManifestResourceStream($"cards.{name}.json")
            ?? throw new ArgumentException($"There is no card template 'cards/{name}.json'.", nameof(name));
        return JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidOperationException($"The card template 'cards/{name}.json' is not a JSON object.");
    }
}
