using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Cards;

/// <summary>
/// Turns channel-neutral <see cref="CardContent"/> into an Adaptive Card 1.5 (Teams, local web chat).
/// Buttons come out as <c>Action.Submit</c> with <c>data.verb</c>; a Teams channel that wants Universal
/// Actions converts them with <see cref="AdaptiveCardActions.UseExecute"/> rather than the templates knowing.
/// </summary>
public sealed class AdaptiveCardRenderer
{
    public const string CardVersion = "1.5";

    public JsonObject Render(CardContent card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var template = AdaptiveCardTemplates.Get(card.Template);
        if (AdaptiveCardTemplateBinder.Bind(template, card.Data) is not JsonObject bound)
        {
            throw new InvalidOperationException($"The card template '{card.Template}' bound to nothing.");
        }

        // The templates say this already; stating it here keeps a template edit from changing what Teams gets.
        bound["type"] = "AdaptiveCard";
        bound["version"] = CardVersion;
        return bound;
    }
}
