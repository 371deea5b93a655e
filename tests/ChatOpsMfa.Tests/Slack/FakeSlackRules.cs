using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// What Slack's Web API checks in Block Kit before accepting a message or a modal (docs.slack.dev block reference;
/// the project's Slack fact sheet). Independent of the production limits class, so a renderer bug shows up as a refusal.
/// </summary>
internal static class FakeSlackRules
{
    public static List<string> MessageViolations(JsonArray? blocks)
    {
        var problems = new List<string>();
        if (blocks is null)
        {
            return problems;
        }

        if (blocks.Count > 50)
        {
            problems.Add($"more than 50 blocks ({blocks.Count})");
        }

        foreach (var block in blocks.OfType<JsonObject>())
        {
            CheckBlock(block, problems);
        }

        return problems;
    }

    public static List<string> ModalViolations(JsonObject? view)
    {
        var problems = new List<string>();
        if (view is null || view["type"]?.GetValue<string>() != "modal")
        {
            problems.Add("view.type must be modal");
            return problems;
        }

        foreach (var label in new[] { "title", "submit", "close" })
        {
            var text = view[label]?["text"]?.GetValue<string>();
            if (label == "title" && text is null)
            {
                problems.Add("a modal needs a title");
            }

            if (text is { Length: > 24 })
            {
                problems.Add($"modal {label} longer than 24 characters");
            }
        }

        if (view["private_metadata"]?.GetValue<string>() is { Length: > 3000 })
        {
            problems.Add("private_metadata longer than 3000 characters");
        }

        var blocks = view["blocks"] as JsonArray ?? [];
        if (blocks.Count > 100)
        {
            problems.Add("more than 100 blocks in a modal");
        }

        if (blocks.Any(b => b?["type"]?.GetValue<string>() == "input") && view["submit"] is null)
        {
            problems.Add("a modal with inputs needs submit");
        }

        foreach (var block in blocks.OfType<JsonObject>())
        {
            CheckBlock(block, problems);
        }

        return problems;
    }

    private static void CheckBlock(JsonObject block, List<string> problems)
    {
        var type = block["type"]?.GetValue<string>();
        switch (type)
        {
            case "header":
                Max(block["text"], 150, "header text", problems);
                if (block["text"]?["type"]?.GetValue<string>() != "plain_text")
                {
                    problems.Add("header text must be plain_text");
                }

                break;
            case "section":
                if (block["text"] is null && block["fields"] is null)
                {
                    problems.Add("a section needs text or fields");
                }

                Max(block["text"], 3000, "section text", problems);
                if (block["fields"] is JsonArray fields)
                {
                    if (fields.Count > 10)
                    {
                        problems.Add("more than 10 fields");
                    }

                    foreach (var field in fields)
                    {
                        Max(field, 2000, "field", problems);
                    }
                }

                break;
            case "context":
                var elements = block["elements"] as JsonArray ?? [];
                if (elements.Count is 0 or > 10)
                {
                    problems.Add("context needs 1-10 elements");
                }

                break;
            case "actions":
                var buttons = block["elements"] as JsonArray ?? [];
                if (buttons.Count is 0 or > 25)
                {
                    problems.Add("actions needs 1-25 elements");
                }

                foreach (var button in buttons.OfType<JsonObject>())
                {
                    Max(button["text"], 75, "button text", problems);
                    if (button["style"]?.GetValue<string>() is { } style && style is not ("primary" or "danger"))
                    {
                        problems.Add($"button style '{style}'");
                    }

                    // A link button's url: at most 3000 characters, and a web address (Slack refuses data: URIs).
                    if (button["url"]?.GetValue<string>() is { } url && (url.Length > 3000 || !IsWebUrl(url)))
                    {
                        problems.Add("button url must be an http(s) URL of at most 3000 characters");
                    }

                    if (button["action_id"]?.GetValue<string>() is not { Length: > 0 and <= 255 })
                    {
                        problems.Add("button without a valid action_id");
                    }

                    if (button["confirm"] is JsonObject confirm)
                    {
                        Max(confirm["title"], 100, "confirm title", problems);
                        Max(confirm["text"], 300, "confirm text", problems);
                    }
                }

                break;
            case "input":
                if (block["label"] is null || block["element"] is null)
                {
                    problems.Add("input needs label and element");
                }

                if (block["element"]?["options"] is JsonArray options)
                {
                    foreach (var option in options)
                    {
                        Max(option?["text"], 75, "option text", problems);
                        Max(option?["description"], 75, "option description", problems);
                    }
                }

                break;
            case "divider":
                break;
            case "image":
                if (block["image_url"]?.GetValue<string>() is not { } imageUrl || !IsWebUrl(imageUrl) || block["alt_text"] is null)
                {
                    problems.Add("an image block needs an http(s) image_url and alt_text");
                }

                break;
            default:
                problems.Add($"unknown block type '{type}'");
                break;
        }
    }

    private static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http";

    private static void Max(JsonNode? textObject, int limit, string what, List<string> problems)
    {
        if (textObject?["text"]?.GetValue<string>() is { } text && text.Length > limit)
        {
            problems.Add($"{what} longer than {limit} characters ({text.Length})");
        }
    }
}
