using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>
/// Rewrites a rendered card's buttons for Teams Universal Actions. The templates emit <c>Action.Submit</c>
/// (works everywhere, including Web Chat which has no <c>Action.Execute</c>); Teams can switch per card.
/// </summary>
public static class AdaptiveCardActions
{
    /// <summary>
    /// A copy of <paramref name="card"/> where each <c>Action.Submit</c> whose data names a verb becomes an
    /// <c>Action.Execute</c> with that verb, falling back to the original submit on clients without it.
    /// </summary>
    public static JsonObject UseExecute(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var copy = card.DeepClone().AsObject();
        Rewrite(copy);
        return copy;
    }

    private static void Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (ToExecute(array[i]) is { } execute)
                    {
                        array[i] = execute;
                    }
                    else
                    {
                        Rewrite(array[i]);
                    }
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToArray())
                {
                    Rewrite(value);
                }

                break;
        }
    }

    private static JsonObject? ToExecute(JsonNode? node)
    {
        if (node is not JsonObject submit
            || submit["type"]?.GetValueKind() != JsonValueKind.String
            || submit["type"]!.GetValue<string>() != "Action.Submit"
            || submit["data"] is not JsonObject data
            || data["verb"]?.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var execute = new JsonObject { ["type"] = "Action.Execute", ["verb"] = data["verb"]!.GetValue<string>() };
        foreach (var (name, value) in submit)
        {
            if (name != "type")
            {
                execute[name] = value?.DeepClone();
            }
        }

        execute["fallback"] = submit.DeepClone();
        return execute;
    }
}
