using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>The HTTP answer to one activity: a status, and for invokes the invoke response body.</summary>
internal sealed record TeamsReply(int Status, JsonObject? Body = null)
{
    public static TeamsReply Ok { get; } = new(StatusCodes.Status200OK);
}
