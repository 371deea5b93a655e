using System.Text;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>A strict RFC 4180 reader for asserting on exported CSV: CRLF records, quoted fields with doubled quotes.</summary>
internal static class CsvTestReader
{
    /// <summary>The records; with <paramref name="everyFieldQuoted"/>, a field written without quotes fails the test.</summary>
    public static List<string[]> Read(string csv, bool everyFieldQuoted = false)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var quoted = false;
        void EndField()
        {
            Assert.True(quoted || !everyFieldQuoted, $"Field {fields.Count + 1} of record {records.Count + 1} is not quoted: '{field}'.");
            fields.Add(field.ToString());
            field.Clear();
            quoted = false;
        }

        while (i < csv.Length)
        {
            if (csv[i] == '"')
            {
                Assert.Equal(0, field.Length);
                quoted = true;
                i++;
                while (true)
                {
                    if (csv[i] == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (csv[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        field.Append(csv[i++]);
                    }
                }
            }
            else if (csv[i] == ',')
            {
                EndField();
                i++;
            }
            else if (csv[i] == '\r')
            {
                Assert.Equal('\n', csv[i + 1]);
                EndField();
                records.Add([.. fields]);
                fields.Clear();
                i += 2;
            }
            else
            {
                Assert.NotEqual('\n', csv[i]);
                Assert.False(quoted, "Text after a closing quote.");
                field.Append(csv[i++]);
            }
        }

        Assert.Empty(fields);
        Assert.Equal(0, field.Length);
        return records;
    }
}
