using ChatOpsMfa.Audit;

namespace ChatOpsMfa.Tests.Audit;

public class AuditCsvWriterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\r=cmd", "\"'\r=cmd\"")]
    [InlineData("=cmd|' /C calc'!A0,x", "\"'=cmd|' /C calc'!A0,x\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("'quoted already", "'quoted already")]
    public void Cells_are_quoted_per_rfc4180_and_formulas_are_neutralised(string? value, string expected)
    {
        Assert.Equal(expected, AuditCsvWriter.Cell(value));
    }

    [Fact]
    public void Every_line_ends_with_crlf_and_the_header_comes_first()
    {
        var item = new AuditExportItem(7, "req-1", 3, "2026-01-10T08:00:00Z", "bob", "Bob, Jr.", "Approve", "AwaitingApproval", "Approved", null);

        var csv = AuditCsvWriter.Write([item]);

        Assert.Equal(
            "id,requestId,requestNumber,at,actorId,actorName,action,fromState,toState,detail\r\n" +
            "7,req-1,3,2026-01-10T08:00:00Z,bob,\"Bob, Jr.\",Approve,AwaitingApproval,Approved,\r\n",
            csv);
    }
}
