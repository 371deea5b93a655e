using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>The bodies Teams expects in answer to an <c>adaptiveCard/action</c> invoke.</summary>
internal static class TeamsInvokeResponse
{
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";

    /// <summary>The card the clicker sees from now on.</summary>
    public static JsonObject Card(JsonObject card) => new()
    {
        ["statusCode"] = 200,
        ["type"] = AdaptiveCardAttachment.ContentType,
        ["value"] = card,
    };

    /// <summary>A short message shown to the clicker; the card stays as it was.</summary>
    public static JsonObject Message(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = MessageType,
        ["value"] = text,
    };

    public static JsonObject Error(int statusCode, string code, string message) => new()
    {
        ["statusCode"] = statusCode,
        ["type"] = ErrorType,
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    };
}
