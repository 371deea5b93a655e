using System.Text.Json.Nodes;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>One stored System Log event: the LogEvent body and the fields a filter reads.</summary>
internal sealed record SandboxLogEvent(
    long Sequence, string Uuid, DateTimeOffset Published, string EventType, string ActorId, IReadOnlyList<string> TargetIds, JsonObject Body)
{
    /// <summary>Lower-cased text of the event, for the <c>q</c> keyword search (Okta: case-insensitive keywords).</summary>
    public string SearchText { get; } = Body.ToJsonString().ToLowerInvariant();
}
