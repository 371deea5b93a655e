namespace ChatOpsMfa.Arazzo;

/// <summary>Literal text, or an expression embedded in a string (braced per spec, or bare).</summary>
internal sealed record TemplatePart(string? Literal, RuntimeExpression? Expression, bool Braced);
