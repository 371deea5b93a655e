namespace ChatOpsMfa.Arazzo;

public sealed record ArazzoSourceDescription(string Name, string Url, string Type, string Pointer);
