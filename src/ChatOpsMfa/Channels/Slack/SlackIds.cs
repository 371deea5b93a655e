using System.Text.RegularExpressions;

namespace ChatOpsMfa.Channels.Slack;

/// <summary>Shapes of Slack ids, checked before they are used in a mention or as a channel.</summary>
internal static partial class SlackIds
{
    public static bool IsUserId(string? id) => id is not null && UserId().IsMatch(id);

    /// <summary>Direct-message channels start with D; everything else (C public, G private/group) is a group conversation.</summary>
    public static bool IsDirectChannel(string channelId) => channelId.StartsWith('D');

    public static bool IsChannelId(string? id) => id is not null && ChannelId().IsMatch(id);

    public static bool IsTeamId(string? id) => id is not null && TeamId().IsMatch(id);

    public static bool IsAppId(string? id) => id is not null && AppId().IsMatch(id);

    [GeneratedRegex("^[TE][A-Z0-9]{2,20}$")]
    private static partial Regex TeamId();

    [GeneratedRegex("^A[A-Z0-9]{2,20}$")]
    private static partial Regex AppId();

    [GeneratedRegex("^[UW][A-Z0-9]{2,20}$")]
    private static partial Regex UserId();

    [GeneratedRegex("^[CDG][A-Z0-9]{2,20}$")]
    private static partial Regex ChannelId();
}
