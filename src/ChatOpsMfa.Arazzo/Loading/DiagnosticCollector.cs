namespace ChatOpsMfa.Arazzo;

/// <summary>Collects diagnostics, turning JSON pointers into "pointer (line:column)" locations.</summary>
internal sealed class DiagnosticCollector(ParsedSource? source)
{
    private readonly List<ArazzoDiagnostic> _diagnostics = [];

    public IReadOnlyList<ArazzoDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Any(d => d.Severity == ArazzoSeverity.Error);

    public void Error(string pointer, string message) => Add(ArazzoSeverity.Error, pointer, message);

    public void Warning(string pointer, string message) => Add(ArazzoSeverity.Warning, pointer, message);

    public void ErrorAt(string location, string message) => _diagnostics.Add(new ArazzoDiagnostic(ArazzoSeverity.Error, location, message));

    private void Add(ArazzoSeverity severity, string pointer, string message) =>
        _diagnostics.Add(new ArazzoDiagnostic(severity, source?.Locate(pointer) ?? pointer, message));
}
