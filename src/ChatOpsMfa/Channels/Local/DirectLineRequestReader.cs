using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Channels.Local;

/// <summary>Reads and checks Direct Line request bodies. Problems are returned as messages for a 400, never thrown.</summary>
internal static partial class DirectLineRequestReader
{
    /// <summary>Web Chat messages are small; anything larger is not a chat message.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Display names go onto cards and into audit rows; a chat name, not a paragraph.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Local user ids become e-mail local parts, so they stay plain.</summary>
    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex UserIdPattern();

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public static bool IsValidUserId(string? id) => id is not null && UserIdPattern().IsMatch(id);

    /// <summary>At most <see cref="MaxNameLength"/> characters and no control characters (no line breaks or escapes in a log or CSV).</summary>
    public static bool IsValidName(string? name) =>
        name is null || (name.Length <= MaxNameLength && !name.Any(char.IsControl));

    /// <summary>The body as JSON; null node for an empty body.</summary>
    public static async Task<(JsonNode? Body, string? Error)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"The body is larger than {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return (null, $"The body is larger than {MaxBodyBytes} bytes.");
            }
        }

        if (buffer.Length == 0)
        {
            return (null, null);
        }

        // JsonNode checks neither UTF-8 nor duplicate names until a property is read, and then throws: check both here.
        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, "The body is not valid UTF-8.");
        }

        try
        {
            return (JsonNode.Parse(bytes, documentOptions: StrictJson), null);
        }
        catch (JsonException)
        {
            return (null, "The body is not valid JSON.");
        }
    }

    /// <summary>The optional <c>user</c> of a token or conversation request: <c>{"user":{"id":"alice","name":"Alice"}}</c>.</summary>
    public static (string? UserId, string? UserName, string? Error) ReadUser(JsonNode? body)
    {
        if (body is null)
        {
            return (null, null, null);
        }

        if (body is not JsonObject root)
        {
            return (null, null, "The body must be a JSON object.");
        }

        if (!root.TryGetPropertyValue("user", out var userNode) || userNode is null)
        {
            return (null, null, null);
        }

        if (userNode is not JsonObject user || !TryGetString(user, "id", out var id) || !IsValidUserId(id))
        {
            return (null, null, "user.id must be 1-64 letters, digits, '.', '_' or '-'.");
        }

        if (!TryGetOptionalString(user, "name", out var name) || !IsValidName(name))
        {
            return (null, null, $"user.name must be a string of at most {MaxNameLength} characters without control characters.");
        }

        return (id, name, null);
    }

    /// <summary>An activity posted by a client. Only message activities are accepted.</summary>
    public static (IncomingActivity? Activity, string? Error) ReadActivity(JsonNode? body)
    {
        if (body is not JsonObject raw)
        {
            return (null, "The body must be an activity (a JSON object).");
        }

        if (!TryGetString(raw, "type", out var type))
        {
            return (null, "The activity needs a string 'type'.");
        }

        if (type != "message")
        {
            return (null, $"Activity type '{type}' is not supported; only 'message' is.");
        }

        if (raw["from"] is not JsonObject from || !TryGetString(from, "id", out var fromId) || !IsValidUserId(fromId))
        {
            return (null, "from.id must be 1-64 letters, digits, '.', '_' or '-'.");
        }

        if (!TryGetOptionalString(from, "name", out var fromName) || !IsValidName(fromName))
        {
            return (null, $"from.name must be a string of at most {MaxNameLength} characters without control characters.");
        }

        if (!TryGetOptionalString(raw, "text", out var text))
        {
            return (null, "text must be a string.");
        }

        if (!TryGetOptionalString(raw, "replyToId", out var replyToId))
        {
            return (null, "replyToId must be a string.");
        }

        var value = raw["value"];
        if (value is not null and not JsonObject)
        {
            return (null, "value must be a JSON object (Action.Submit data).");
        }

        if (raw["channelData"] is not null and not JsonObject)
        {
            return (null, "channelData must be a JSON object.");
        }

        if (raw["attachments"] is not null and not JsonArray)
        {
            return (null, "attachments must be an array.");
        }

        if (string.IsNullOrEmpty(text) && value is null)
        {
            return (null, "A message needs text or a value.");
        }

        return (new IncomingActivity(raw, fromId, fromName, string.IsNullOrEmpty(text) ? null : text, (JsonObject?)value, replyToId), null);
    }

    private static bool TryGetString(JsonObject owner, string name, out string value)
    {
        if (owner[name] is JsonValue node && node.GetValueKind() == JsonValueKind.String)
        {
            value = node.GetValue<string>();
            return value.Length > 0;
        }

        value = "";
        return false;
    }

    private static bool TryGetOptionalString(JsonObject owner, string name, out string? value)
    {
        value = null;
        var node = owner[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String)
        {
            value = scalar.GetValue<string>();
            return true;
        }

        return false;
    }
}
