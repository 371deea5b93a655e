using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Requests;

/// <summary>Reading what a card or form sent back: values are untrusted text, and only strings count.</summary>
public static partial class CardValues
{
    public static string? Text(JsonObject value, string name) =>
        value[name] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;

    public static bool IsEmail(string? text) => text is not null && EmailPattern().IsMatch(text);

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")]
    private static partial Regex EmailPattern();
}
