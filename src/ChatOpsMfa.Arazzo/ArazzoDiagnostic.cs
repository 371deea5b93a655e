namespace ChatOpsMfa.Arazzo;

/// <summary>
/// One problem found in a document. <see cref="Location"/> is a JSON pointer into the document,
/// followed by " (line:column)" when the position is known. Messages never quote parameter values,
/// request bodies or inputs: they name the place and the rule.
/// </summary>
public sealed record ArazzoDiagnostic(ArazzoSeverity Severity, string Location, string Message)
{
    /// <summary>The JSON pointer part of <see cref="Location"/>, without the line and column.</summary>
    public string Pointer
    {
        get
        {
            var space = Location.IndexOf(" (", StringComparison.Ordinal);
            return space < 0 ? Location : Location[..space];
        }
    }

    public override string ToString() => $"{Severity} at {Location}: {Message}";
}
