namespace ChatOpsMfa.Arazzo;

/// <summary>
/// The outcome of loading a document. <see cref="Document"/> is only set when there is no Error
/// diagnostic, so nothing invalid can be run by mistake.
/// </summary>
public sealed class ArazzoLoadResult
{
    public ArazzoLoadResult(ArazzoDocument? document, IReadOnlyList<ArazzoDiagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        IsValid = !diagnostics.Any(d => d.Severity == ArazzoSeverity.Error);
        Document = IsValid ? document : null;
    }

    public ArazzoDocument? Document { get; }

    public IReadOnlyList<ArazzoDiagnostic> Diagnostics { get; }

    public bool IsValid { get; }

    public IEnumerable<ArazzoDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ArazzoSeverity.Error);

    /// <summary>Lint findings, such as a bare expression embedded in a string without braces.</summary>
    public IEnumerable<ArazzoDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == ArazzoSeverity.Warning);
}
