using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Local;

/// <summary>Turns neutral card content into an Adaptive Card (the attachment's <c>content</c>) for Web Chat.</summary>
public interface ILocalCardRenderer
{
    JsonObject Render(CardContent card);
}
