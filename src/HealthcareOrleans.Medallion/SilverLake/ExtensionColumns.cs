using System.Text;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>
/// Names of the Silver columns for unknown event fields: <c>x_</c> + the field name in lower case with anything
/// outside <c>[a-z0-9_]</c> replaced by '_' — Delta without column mapping forbids " ,;{}()\n\t=" in names, and the
/// prefix keeps a new producer field from ever colliding with a typed column.
/// </summary>
public static class ExtensionColumns
{
    private const int MaxNameLength = 128;

    public static string NameFor(string field)
    {
        var builder = new StringBuilder(SilverEventsTable.ExtensionPrefix, Math.Min(field.Length + 2, MaxNameLength));
        foreach (var c in field)
        {
            if (builder.Length >= MaxNameLength)
            {
                break;
            }

            var lower = char.ToLowerInvariant(c);
            builder.Append(lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? lower : '_');
        }

        return builder.ToString();
    }
}
