using System.Text;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>A strict RFC 4180 reader for asserting on exported CSV: CRLF records, quoted fields with doubled quotes.</summary>
internal static class CsvTestReader
{
    public static List<string[]> Read(string csv)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < csv.Length)
        {
            if (csv[i] == '"')
            {
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
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (csv[i] == '\r')
            {
                Assert.Equal('\n', csv[i + 1]);
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i += 2;
            }
            else
            {
                Assert.NotEqual('\n', csv[i]);
                field.Append(csv[i++]);
            }
        }

        Assert.Empty(fields);
        Assert.Equal(0, field.Length);
        return records;
    }
}
