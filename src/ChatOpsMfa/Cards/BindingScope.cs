using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>What names in a template expression refer to: the current item, the whole data, the item's position.</summary>
internal sealed record BindingScope(JsonNode? Data, JsonNode? Root, int? Index = null);
