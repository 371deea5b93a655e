using System.Text;

namespace ChatOpsMfa.Audit;

/// <summary>
/// Writes audit rows as RFC 4180 CSV (CRLF lines, quoted when needed). Detail text can carry user-influenced
/// strings, so a cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection").
/// </summary>
public static class AuditCsvWriter
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public static readonly string[] Header =
        ["id", "requestId", "requestNumber", "at", "actorId", "actorName", "action", "fromState", "toState", "detail"];

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Write(IEnumerable<AuditExportItem> items)
    {
        var csv = new StringBuilder();
        AppendLine(csv, Header);
        foreach (var item in items)
        {
            AppendLine(csv, item.Cells());
        }

        return csv.ToString();
    }

    /// <summary>One cell, neutralised and quoted; null is an empty cell.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void AppendLine(StringBuilder csv, IEnumerable<string?> cells)
    {
        csv.AppendJoin(',', cells.Select(Cell));
        csv.Append("\r\n");
    }
}
