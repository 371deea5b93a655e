using System.Collections.Frozen;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>One Web API method as Slack's description states it (see <see cref="SlackWebApiDescription"/>).</summary>
internal sealed record SlackMethodRules(
    string Method,
    FrozenSet<string> Consumes,
    FrozenSet<string> Arguments,
    IReadOnlyList<string> Required,
    FrozenSet<string> JsonArguments)
{
    /// <summary>True when Slack reads a body of this media type for this method.</summary>
    public bool Reads(string? mediaType) => mediaType is not null && Consumes.Contains(mediaType);
}
