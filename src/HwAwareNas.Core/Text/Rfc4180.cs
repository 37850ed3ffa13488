using System.Text;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Text;

/// <summary>One CSV record: its fields and the line it starts on (a quoted field may span lines).</summary>
/// <param name="Line">The 1-based line the record starts on.</param>
/// <param name="Fields">The unquoted fields.</param>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Reads and quotes CSV fields by RFC 4180. The CSVs hwnas reads and writes hold OFA-notation JSON genomes, whose
/// commas and quotes need quoting; one reader and one quoting rule keep pareto.csv, the predictors' data and
/// warm-start files readable by each other.
/// </summary>
public static class Rfc4180
{
    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// The records of <paramref name="text"/>, blank lines left out; <paramref name="malformed"/> makes the exception
    /// for an unclosed quote or text after a closing quote from the line and a message, so that each caller locates
    /// the error in its own terms.
    /// </summary>
    public static IReadOnlyList<CsvRecord> Read(string text, Func<int, string, HwNasException> malformed)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(malformed);
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var afterQuote = false;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (fields.Count > 1 || fields[0].Length > 0)
            {
                records.Add(new CsvRecord(recordLine, fields));
            }

            fields = [];
            afterQuote = false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                    afterQuote = true;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0 && !afterQuote)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                afterQuote = false;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRecord();
                line++;
                recordLine = line;
            }
            else if (afterQuote)
            {
                throw malformed(line, "text after a closing quote");
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw malformed(recordLine, "a quoted field is not closed");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            EndRecord();
        }

        return records;
    }
}
