using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Local;

/// <summary>Errors in Direct Line's shape: <c>{"error":{"code":"BadArgument","message":"..."}}</c>.</summary>
internal static class DirectLineError
{
    public static IResult BadArgument(string message) => Create(StatusCodes.Status400BadRequest, "BadArgument", message);

    public static IResult MissingToken() =>
        Create(StatusCodes.Status401Unauthorized, "Unauthorized", "An 'Authorization: Bearer <token>' header is required.");

    /// <summary>403 tells Web Chat the token expired, which is what an unknown token most likely is after a restart.</summary>
    public static IResult TokenExpired() =>
        Create(StatusCodes.Status403Forbidden, "TokenExpired", "The token is unknown or expired.");

    public static IResult Forbidden(string message) => Create(StatusCodes.Status403Forbidden, "Forbidden", message);

    /// <summary>A cap of the in-memory local chat is reached; the message names the setting.</summary>
    public static IResult TooMany(string message) => Create(StatusCodes.Status429TooManyRequests, "TooManyRequests", message);

    public static IResult ConversationNotFound() =>
        Create(StatusCodes.Status404NotFound, "BadArgument", "Conversation not found.");

    public static JsonObject Body(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static IResult Create(int status, string code, string message) =>
        Results.Json(Body(code, message), statusCode: status);
}
