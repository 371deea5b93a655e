using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>
/// Slack's Block Kit limits, enforced before anything is sent. Whatever would break a limit is shortened with intent:
/// the cut text or blocks are replaced by a note saying what was cut, so Slack never rejects the message and readers
/// know something is missing.
/// </summary>
public static class BlockKitLimits
{
    public const int MessageBlocks = 50;
    public const int ModalBlocks = 100;
    public const int SectionText = 3000;
    public const int SectionFields = 10;
    public const int FieldText = 2000;
    public const int HeaderText = 150;
    public const int ContextElements = 10;
    public const int ActionElements = 25;
    public const int ButtonText = 75;
    public const int ButtonValue = 2000;
    public const int OptionText = 75;
    public const int SelectOptions = 100;
    public const int ModalTitle = 24;
    public const int MessageText = 40000;

    /// <summary>Fits the blocks of a message; returns what was cut, for the log (never the content itself).</summary>
    public static IReadOnlyList<string> FitMessage(JsonArray blocks) => FitBlocks(blocks, MessageBlocks);

    /// <summary>Fits a modal view: its title, submit and close labels and its blocks.</summary>
    public static IReadOnlyList<string> FitModal(JsonObject view)
    {
        var cuts = new List<string>();
        foreach (var label in new[] { "title", "submit", "close" })
        {
            if (view[label] is JsonObject text)
            {
                FitText(text, ModalTitle, $"modal {label}", cuts);
            }
        }

        if (view["blocks"] is JsonArray blocks)
        {
            cuts.AddRange(FitBlocks(blocks, ModalBlocks));
        }

        return cuts;
    }

    /// <summary>Shortens <paramref name="text"/> to <paramref name="limit"/> characters, ending with a note of how much was cut.</summary>
    public static string Shorten(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        // Reserve room for the longest note this text could need; the note then states the exact number cut.
        var keep = Math.Max(0, limit - Note(text.Length).Length);
        var shortened = text[..keep] + Note(text.Length - keep);
        return shortened.Length <= limit ? shortened : text[..(limit - 1)] + "…";
    }

    private static string Note(int cut) =>
        cut < 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"… [{cut} characters cut]");

    private static List<string> FitBlocks(JsonArray blocks, int maxBlocks)
    {
        var cuts = new List<string>();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            FitBlock(block, cuts);
        }

        if (blocks.Count > maxBlocks)
        {
            var dropped = blocks.Count - (maxBlocks - 1);
            while (blocks.Count > maxBlocks - 1)
            {
                blocks.RemoveAt(blocks.Count - 1);
            }

            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(BlockText.Plain(string.Create(CultureInfo.InvariantCulture,
                    $"{dropped} more block(s) were cut to stay within Slack's limit of {maxBlocks}."))),
            });
            cuts.Add($"{dropped} block(s) over the limit of {maxBlocks}");
        }

        return cuts;
    }

    private static void FitBlock(JsonObject block, List<string> cuts)
    {
        switch (block["type"]?.GetValue<string>())
        {
            case "header":
                FitText(block["text"] as JsonObject, HeaderText, "header", cuts);
                break;
            case "section":
                FitText(block["text"] as JsonObject, SectionText, "section text", cuts);
                if (block["fields"] is JsonArray fields)
                {
                    FitList(fields, SectionFields, "section fields", cuts,
                        dropped => BlockText.Markdown($"_{dropped} more field(s) cut_"));
                    foreach (var field in fields.OfType<JsonObject>())
                    {
                        FitText(field, FieldText, "field", cuts);
                    }
                }

                if (block["accessory"] is JsonObject accessory)
                {
                    FitElement(accessory, cuts);
                }

                break;
            case "context":
                if (block["elements"] is JsonArray elements)
                {
                    FitList(elements, ContextElements, "context elements", cuts,
                        dropped => BlockText.Plain($"{dropped} more item(s) cut"));
                    foreach (var element in elements.OfType<JsonObject>())
                    {
                        FitText(element, SectionText, "context text", cuts);
                    }
                }

                break;
            case "actions":
                if (block["elements"] is JsonArray buttons)
                {
                    // A cut button cannot be replaced by a note inside an actions block; the dropped count goes to the log.
                    while (buttons.Count > ActionElements)
                    {
                        buttons.RemoveAt(buttons.Count - 1);
                        cuts.Add("a button over the limit of 25");
                    }

                    foreach (var element in buttons.OfType<JsonObject>())
                    {
                        FitElement(element, cuts);
                    }
                }

                break;
            case "input":
                FitText(block["label"] as JsonObject, 2000, "input label", cuts);
                if (block["element"] is JsonObject input)
                {
                    FitElement(input, cuts);
                }

                break;
        }
    }

    private static void FitElement(JsonObject element, List<string> cuts)
    {
        switch (element["type"]?.GetValue<string>())
        {
            case "button":
                FitText(element["text"] as JsonObject, ButtonText, "button text", cuts);
                if (element["value"] is JsonValue value && value.GetValue<string>().Length > ButtonValue)
                {
                    // A shortened value would point at the wrong thing; refuse rather than guess.
                    throw new InvalidOperationException("A button value is longer than Slack's 2000 characters.");
                }

                break;
            case "static_select":
                if (element["options"] is JsonArray options)
                {
                    while (options.Count > SelectOptions)
                    {
                        options.RemoveAt(options.Count - 1);
                        cuts.Add("a select option over the limit of 100");
                    }

                    foreach (var option in options.OfType<JsonObject>())
                    {
                        FitText(option["text"] as JsonObject, OptionText, "option text", cuts);
                        FitText(option["description"] as JsonObject, OptionText, "option description", cuts);
                    }
                }

                break;
        }
    }

    private static void FitList(JsonArray list, int max, string what, List<string> cuts, Func<int, JsonObject> note)
    {
        if (list.Count <= max)
        {
            return;
        }

        var dropped = list.Count - (max - 1);
        while (list.Count > max - 1)
        {
            list.RemoveAt(list.Count - 1);
        }

        list.Add(note(dropped));
        cuts.Add($"{dropped} {what} over the limit of {max}");
    }

    private static void FitText(JsonObject? text, int limit, string what, List<string> cuts)
    {
        if (text?["text"] is JsonValue value && value.GetValue<string>() is { } content && content.Length > limit)
        {
            text["text"] = Shorten(content, limit);
            cuts.Add(string.Create(CultureInfo.InvariantCulture, $"{what} shortened from {content.Length} to {limit} characters"));
        }
    }
}
