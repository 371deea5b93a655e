using ChatOpsMfa.Audit;

namespace ChatOpsMfa.Tests.Audit;

public class AuditCsvWriterTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData(null, "\"\"")]
    [InlineData("42", "\"42\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("a=b", "\"a=b\"")]
    [InlineData("2026-01-10T08:00:00Z", "\"2026-01-10T08:00:00Z\"")]
    [InlineData("'quoted already", "\"'quoted already\"")]
    public void Every_cell_is_quoted_per_rfc4180(string? value, string expected)
    {
        Assert.Equal(expected, AuditCsvWriter.Cell(value));
    }

    // OWASP CSV injection: a cell must not start a formula, and neither may any piece of it that a spreadsheet
    // splitting on another separator (';' in many locales, '|' or tab on import, a line break) would make a cell.
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\r=cmd", "'\r'=cmd")]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("Bob;=HYPERLINK(\"http://evil.example\",\"click\")", "Bob;'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")")]
    [InlineData("x|@SUM(1)", "x|'@SUM(1)")]
    [InlineData("a\t-1", "a\t'-1")]
    [InlineData("a,+1", "a,'+1")]
    [InlineData("first\n=1+1", "first\n'=1+1")]
    [InlineData("first\r\n@cmd", "first\r\n'@cmd")]
    [InlineData("a; =1", "a; '=1")]
    [InlineData("a;\"=1\"", "a;\"\"'=1\"\"")]
    [InlineData(" =1", " '=1")]
    [InlineData(";;=1", ";;'=1")]
    [InlineData("\uFF1D1+1", "'\uFF1D1+1")]   // FULLWIDTH EQUALS SIGN
    [InlineData("\uFF0B1", "'\uFF0B1")]       // FULLWIDTH PLUS SIGN
    [InlineData("\uFF0D1", "'\uFF0D1")]       // FULLWIDTH HYPHEN-MINUS
    [InlineData("\uFF20SUM(1)", "'\uFF20SUM(1)")] // FULLWIDTH COMMERCIAL AT
    [InlineData("Bob;\uFF1DHYPERLINK(1)", "Bob;'\uFF1DHYPERLINK(1)")]
    public void A_cell_or_a_piece_of_it_that_would_start_a_formula_is_neutralised(string value, string expectedInsideQuotes)
    {
        Assert.Equal("\"" + expectedInsideQuotes + "\"", AuditCsvWriter.Cell(value));
    }

    [Theory]
    [InlineData("re-try in 5 min, then done")]
    [InlineData("phone +1 555 (masked)")]
    [InlineData("bob@example.com")]
    [InlineData("a=b; c=d")]
    [InlineData("MFA-0042")]
    public void Ordinary_text_stays_as_it_was(string value)
    {
        Assert.Equal("\"" + value + "\"", AuditCsvWriter.Cell(value));
    }

    [Fact]
    public void Every_line_ends_with_crlf_and_the_header_comes_first_with_every_cell_quoted()
    {
        var item = new AuditExportItem(7, "req-1", 3, "2026-01-10T08:00:00Z", "bob", "Bob, Jr.", "Approve", "AwaitingApproval", "Approved", null);

        var csv = AuditCsvWriter.Write([item]);

        Assert.Equal(
            "\"id\",\"requestId\",\"requestNumber\",\"at\",\"actorId\",\"actorName\",\"action\",\"fromState\",\"toState\",\"detail\"\r\n" +
            "\"7\",\"req-1\",\"3\",\"2026-01-10T08:00:00Z\",\"bob\",\"Bob, Jr.\",\"Approve\",\"AwaitingApproval\",\"Approved\",\"\"\r\n",
            csv);
    }
}
