using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Reads the values every front end (the <c>arazzo</c> tool, the bot's <c>workflow</c> command) takes for a run:
/// a source's server as <c>NAME=URL</c> and an input as <c>name=value</c> (text) or <c>name=json</c>. One reading,
/// so both accept and refuse the same things with the same words. A refused value is never quoted back: an input
/// may be a credential.
/// </summary>
public static class RunArgumentValues
{
    /// <summary>Adds <c>NAME=URL</c> (an absolute http or https URL) to <paramref name="servers"/>; returns the problem, or null.</summary>
    public static string? AddServer(string value, IDictionary<string, Uri> servers)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(servers);
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || !Uri.TryCreate(value[(eq + 1)..], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return $"--server takes NAME=URL with an absolute http(s) URL, got '{value}'.";
        }

        servers[value[..eq]] = url;
        return null;
    }

    /// <summary>The input's name in <c>name=value</c>, or null when there is none.</summary>
    public static string? InputName(string value) =>
        value.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? value[..eq] : null;

    /// <summary>
    /// Adds <c>name=value</c> to <paramref name="inputs"/>: as text for <c>--input</c>, parsed as JSON for
    /// <c>--input-json</c>. Returns the problem, or null.
    /// </summary>
    public static string? AddInput(string option, string value, IDictionary<string, JsonNode?> inputs)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(inputs);
        if (InputName(value) is not { } name)
        {
            return $"{option} takes name=value, got a value without '='.";
        }

        var text = value[(name.Length + 1)..];
        try
        {
            inputs[name] = option == "--input-json" ? JsonNode.Parse(text) : JsonValue.Create(text);
            return null;
        }
        catch (JsonException)
        {
            return $"--input-json {name}: the value is not valid JSON.";
        }
    }
}
