using System.Text;

namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>One RFC 4180 CSV line: comma-separated, fields optionally in double quotes with "" for a quote.</summary>
internal static class CsvLine
{
    public static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException("a quoted field is not closed (a field spanning lines is not supported)");
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
