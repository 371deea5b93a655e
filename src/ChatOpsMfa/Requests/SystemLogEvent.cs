using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Requests;

/// <summary>The parts of an Okta System Log event (LogEvent) the bot reads. Nothing here is secret.</summary>
public sealed record SystemLogEvent(
    string Uuid,
    DateTimeOffset Published,
    string EventType,
    string? DisplayMessage,
    string? ActorId,
    string? Country,
    string? City,
    string? Outcome,
    IReadOnlyList<string> TargetIds,
    string? Behaviors)
{
    /// <summary>Okta's behaviour verdict ("New Country=POSITIVE") for one behaviour; null when the event does not carry it.</summary>
    public bool? Behavior(string name)
    {
        if (Behaviors is null)
        {
            return null;
        }

        var at = Behaviors.IndexOf(name + "=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var value = Behaviors[(at + name.Length + 1)..];
        return value.StartsWith("POSITIVE", StringComparison.OrdinalIgnoreCase) ? true
            : value.StartsWith("NEGATIVE", StringComparison.OrdinalIgnoreCase) ? false
            : null;
    }

    /// <summary>The events of a listLogEvents answer; events without a uuid, time or type are skipped.</summary>
    public static IReadOnlyList<SystemLogEvent> ReadAll(JsonNode? body) =>
        body is JsonArray array ? array.Select(Read).OfType<SystemLogEvent>().ToArray() : [];

    private static SystemLogEvent? Read(JsonNode? node)
    {
        if (Text(node, "uuid") is not { } uuid || Text(node, "eventType") is not { } type ||
            !DateTimeOffset.TryParse(Text(node, "published"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var published))
        {
            return null;
        }

        var geo = node?["client"]?["geographicalContext"];
        var targets = node?["target"] is JsonArray list ? list.Select(t => Text(t, "id")).OfType<string>().ToArray() : [];
        return new SystemLogEvent(uuid, published, type, Text(node, "displayMessage"), Text(node?["actor"], "id"),
            Text(geo, "country"), Text(geo, "city"), Text(node?["outcome"], "result"), targets,
            Text(node?["debugContext"]?["debugData"], "behaviors"));
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : null;
}
