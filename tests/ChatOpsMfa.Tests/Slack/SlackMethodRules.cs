using System.Collections.Frozen;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>One Web API method as Slack's description states it (see <see cref="SlackWebApiDescription"/>).</summary>
/// <param name="Errors">The <c>error</c> values Slack documents for the method (its error response's enum).</param>
/// <param name="Limits">Argument limits the description states (<c>x-limits</c>): the longest text, the smallest number, and the error.</param>
internal sealed record SlackMethodRules(
    string Method,
    FrozenSet<string> Consumes,
    FrozenSet<string> Arguments,
    IReadOnlyList<string> Required,
    FrozenSet<string> JsonArguments,
    FrozenSet<string>? Errors = null,
    IReadOnlyList<SlackArgumentLimit>? Limits = null)
{
    /// <summary>True when Slack reads a body of this media type for this method.</summary>
    public bool Reads(string? mediaType) => mediaType is not null && Consumes.Contains(mediaType);
}

/// <summary>A limit on one argument: at most <paramref name="MaxLength"/> characters, or at least <paramref name="Minimum"/>.</summary>
internal sealed record SlackArgumentLimit(string Argument, int? MaxLength, long? Minimum, string Error);
