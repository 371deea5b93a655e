using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;

namespace ChatOpsMfa.Hosting;

/// <summary>The local web chat shows the same Adaptive Cards as Teams.</summary>
public sealed class LocalCardRenderer(AdaptiveCardRenderer renderer) : ILocalCardRenderer
{
    public JsonObject Render(CardContent card) => renderer.Render(card);
}
