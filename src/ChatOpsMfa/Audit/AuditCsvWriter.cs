using System.Text;

namespace ChatOpsMfa.Audit;

/// <summary>
/// Writes audit rows as RFC 4180 CSV: CRLF lines, every cell quoted. Names and detail text are chosen by users, and
/// a reviewer opens the file in a spreadsheet, so no cell may start a formula (OWASP "CSV injection"); see
/// <see cref="Neutralise"/>.
/// </summary>
public static class AuditCsvWriter
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public static readonly string[] Header =
        ["id", "requestId", "requestNumber", "at", "actorId", "actorName", "action", "fromState", "toState", "detail"];

    // '=', '+', '-', '@' and their full-width forms, which spreadsheets in CJK locales read as the same operators.
    private const string FormulaStarts = "=+-@\uFF1D\uFF0B\uFF0D\uFF20";

    // Where a spreadsheet may start a new cell: ',' (ours), ';' (many locales), '|' and tab (import dialogs), lines.
    private const string Separators = ";,|\t\r\n";

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

    /// <summary>One cell, neutralised and always quoted; null is an empty quoted cell.</summary>
    public static string Cell(string? value) =>
        "\"" + Neutralise(value ?? "").Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The value with an apostrophe in front of every formula start that could open a cell: at the very start, and
    /// after any separator a spreadsheet might split on (skipping spaces and quotes before it, which an importer may
    /// strip). A leading tab or CR gets one too. Everything else is kept, so the reviewer still reads the text.
    /// </summary>
    public static string Neutralise(string value)
    {
        var result = new StringBuilder(value.Length + 4);
        if (value.Length > 0 && value[0] is '\t' or '\r')
        {
            result.Append('\'');
        }

        var pieceStart = true;
        foreach (var c in value)
        {
            if (pieceStart && FormulaStarts.Contains(c, StringComparison.Ordinal))
            {
                result.Append('\'');
            }

            result.Append(c);
            if (Separators.Contains(c, StringComparison.Ordinal))
            {
                pieceStart = true;
            }
            else if (!char.IsWhiteSpace(c) && c != '"')
            {
                pieceStart = false;
            }
        }

        return result.ToString();
    }

    private static void AppendLine(StringBuilder csv, IEnumerable<string?> cells)
    {
        csv.AppendJoin(',', cells.Select(Cell));
        csv.Append("\r\n");
    }
}
