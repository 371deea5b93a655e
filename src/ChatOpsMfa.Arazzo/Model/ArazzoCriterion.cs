namespace ChatOpsMfa.Arazzo;

/// <summary>A criterion; <see cref="Type"/> is simple (default), regex, jsonpath or xpath.</summary>
public sealed record ArazzoCriterion(string Condition, string Type, string? Context, string Pointer);
