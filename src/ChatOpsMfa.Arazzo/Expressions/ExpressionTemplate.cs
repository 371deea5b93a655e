using System.Text;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// A string value that may hold expressions. <see cref="Whole"/> is set when the whole string is one
/// expression (bare or braced): its value then keeps its JSON type. Otherwise parts are concatenated.
/// </summary>
internal sealed record ExpressionTemplate(IReadOnlyList<TemplatePart> Parts, RuntimeExpression? Whole)
{
    public bool HasExpressions => Whole is not null || Parts.Any(p => p.Expression is not null);

    /// <summary>True when an expression sits in the string without the braces the spec asks for.</summary>
    public bool HasBareEmbeddedExpression => Whole is null && Parts.Any(p => p.Expression is not null && !p.Braced);

    public IEnumerable<RuntimeExpression> Expressions =>
        Whole is not null ? [Whole] : Parts.Where(p => p.Expression is not null).Select(p => p.Expression!);

    /// <summary>The same string written the spec's way: every embedded expression in braces.</summary>
    public string ToSpecForm()
    {
        var text = new StringBuilder();
        foreach (var part in Parts)
        {
            text.Append(part.Expression is null ? part.Literal : "{" + part.Expression.Text + "}");
        }

        return text.ToString();
    }
}
