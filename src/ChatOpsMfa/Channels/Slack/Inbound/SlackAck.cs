using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// How to answer one delivery from Slack: an HTTP status and an optional JSON body (a challenge, modal errors, an
/// ephemeral reply). Over Socket Mode the body becomes the envelope acknowledgement's <c>payload</c>.
/// </summary>
public sealed record SlackAck(int StatusCode, JsonObject? Body = null, string? Problem = null)
{
    public static SlackAck Ok { get; } = new(StatusCodes.Status200OK);

    public static SlackAck With(JsonObject body) => new(StatusCodes.Status200OK, body);

    /// <summary>A payload we cannot read; nothing was processed.</summary>
    public static SlackAck Malformed(string problem) => new(StatusCodes.Status400BadRequest, Problem: problem);

    /// <summary>Signed, but for another workspace or app than this installation; nothing was processed.</summary>
    public static SlackAck NotOurs(string problem) => new(StatusCodes.Status403Forbidden, Problem: problem);

    /// <summary>The installation is not known yet (auth.test has not answered): Slack retries later.</summary>
    public static SlackAck NotReady(string problem) => new(StatusCodes.Status503ServiceUnavailable, Problem: problem);

    public static SlackAck Busy { get; } = new(StatusCodes.Status503ServiceUnavailable, Problem: "the work queue is full");
}
