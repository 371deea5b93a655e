using System.Collections.Frozen;

namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>The Web API methods the bot calls, and how each may be repeated (<see cref="SlackCallKind"/>).</summary>
internal static class SlackMethods
{
    private static readonly FrozenDictionary<string, SlackCallKind> Kinds = new Dictionary<string, SlackCallKind>(StringComparer.Ordinal)
    {
        ["auth.test"] = SlackCallKind.Idempotent,
        ["bots.info"] = SlackCallKind.Idempotent,
        ["users.info"] = SlackCallKind.Idempotent,
        ["users.lookupByEmail"] = SlackCallKind.Idempotent,
        ["conversations.open"] = SlackCallKind.Idempotent, // answers the same DM each time
        ["chat.update"] = SlackCallKind.Idempotent, // the same content again
        ["views.update"] = SlackCallKind.Idempotent,
        ["apps.connections.open"] = SlackCallKind.Idempotent,
        ["chat.delete"] = SlackCallKind.Idempotent, // a repeat answers message_not_found
        ["files.getUploadURLExternal"] = SlackCallKind.Idempotent, // an unused ticket is discarded by Slack
        ["files.delete"] = SlackCallKind.Idempotent, // a repeat answers file_not_found / file_deleted
        ["chat.postMessage"] = SlackCallKind.NotRepeatable,
        ["files.completeUploadExternal"] = SlackCallKind.NotRepeatable, // shares the file: callable once per upload
        ["chat.postEphemeral"] = SlackCallKind.NotRepeatable,
        ["views.open"] = SlackCallKind.Immediate,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The methods whose JSON body Slack reads: those that Slack's Web API description (slackapi/slack-api-specs,
    /// <c>consumes</c>) lists with <c>application/json</c>. Every other method is sent form-encoded, since Slack does not
    /// read a JSON body there (<c>users.info</c> sent as JSON answers <c>user_not_found</c>).
    /// </summary>
    private static readonly FrozenSet<string> JsonBodies = new[]
    {
        "auth.test", "conversations.open", "chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete",
        "files.delete", "views.open", "views.update",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="method"/> takes a JSON body (<see cref="JsonBodies"/>).</summary>
    public static bool TakesJson(string method) => JsonBodies.Contains(method);

    /// <summary>A method not listed is treated as not repeatable: the safe default.</summary>
    public static SlackCallKind KindOf(string method) => Kinds.GetValueOrDefault(method, SlackCallKind.NotRepeatable);

    /// <summary>Slack's answers that say "try again": its own transient failures (docs.slack.dev, each method's error table).</summary>
    public static bool IsTransient(string error) =>
        error is "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout";
}
