using System.Globalization;
using System.Text;
using System.Text.Json;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Log;

/// <summary>
/// Per-file column statistics for add.stats (PROTOCOL.md "Per-file Statistics"): numRecords, minValues, maxValues,
/// nullCount. min/max are bounds ("smaller/larger than or equal to all values present"), so a truncated bound that
/// still encloses the data is valid, and a column without a safe bound is simply left out.
/// </summary>
public static class FileStatistics
{
    /// <summary>Strings longer than this get a prefix as minimum and no maximum, as Spark's 32-character truncation.</summary>
    private const int StringPrefixLength = 32;

    public static string Compute(IReadOnlyList<DeltaField> dataFields, DeltaBatch batch)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter w = new(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", batch.RowCount);
            w.WriteStartObject("minValues");
            foreach (var field in dataFields)
            {
                WriteBound(w, batch.Column(field.Name), minimum: true);
            }

            w.WriteEndObject();
            w.WriteStartObject("maxValues");
            foreach (var field in dataFields)
            {
                WriteBound(w, batch.Column(field.Name), minimum: false);
            }

            w.WriteEndObject();
            w.WriteStartObject("nullCount");
            foreach (var field in dataFields)
            {
                w.WriteNumber(field.Name, batch.Column(field.Name).NullCount());
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static long? TryReadNumRecords(string? stats)
    {
        if (string.IsNullOrEmpty(stats))
        {
            return null;
        }

        using var document = JsonDocument.Parse(stats);
        return document.RootElement.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
    }

    /// <summary>The min and max of a column as JSON text (raw), or null when the stats do not carry them.</summary>
    public static (JsonElement Min, JsonElement Max)? TryReadBounds(string? stats, string column)
    {
        if (string.IsNullOrEmpty(stats))
        {
            return null;
        }

        using var document = JsonDocument.Parse(stats);
        var root = document.RootElement;
        return root.TryGetProperty("minValues", out var mins) && mins.TryGetProperty(column, out var min)
            && root.TryGetProperty("maxValues", out var maxs) && maxs.TryGetProperty(column, out var max)
            ? (min.Clone(), max.Clone())
            : null;
    }

    private static void WriteBound(Utf8JsonWriter w, DeltaColumn column, bool minimum)
    {
        switch (column)
        {
            case DeltaColumn<string?> c:
                var s = Extreme(c.Values, string.CompareOrdinal, minimum);
                if (s is not null && (s.Length <= StringPrefixLength || minimum))
                {
                    // A prefix is <= the value it starts, so it stays a valid lower bound; a truncated max would not be an upper bound.
                    w.WriteString(column.Name, s.Length <= StringPrefixLength ? s : s[..SafePrefixLength(s)]);
                }

                break;
            case DeltaColumn<long?> c:
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<int?> c:
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<short?> c:
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<sbyte?> c:
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<decimal?> c:
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<double?> c when !c.Values.Any(v => v is { } d && double.IsNaN(d)):
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<float?> c when !c.Values.Any(v => v is { } f && float.IsNaN(f)):
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteNumber(column.Name, v));
                break;
            case DeltaColumn<DateOnly?> c:
                WriteIfPresent(Extreme(c.Values, minimum), v => w.WriteString(column.Name, v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                break;
            case DeltaColumn<DateTimeOffset?> c:
                // Spark writes timestamp bounds with millisecond precision; round the max up so it stays an upper bound.
                WriteIfPresent(Extreme(c.Values, minimum), v =>
                {
                    var utc = v.UtcDateTime;
                    var truncated = new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
                    if (!minimum && truncated != utc)
                    {
                        truncated = truncated.AddMilliseconds(1);
                    }

                    w.WriteString(column.Name, truncated.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                });
                break;
            default:
                // booleans, binary and NaN-bearing floats: no useful or safe bound.
                break;
        }
    }

    private static void WriteIfPresent<T>(T? value, Action<T> write)
        where T : struct
    {
        if (value is { } v)
        {
            write(v);
        }
    }

    private static T? Extreme<T>(T?[] values, bool minimum)
        where T : struct, IComparable<T>
    {
        T? best = null;
        foreach (var value in values)
        {
            if (value is { } v && (best is not { } b || (minimum ? v.CompareTo(b) < 0 : v.CompareTo(b) > 0)))
            {
                best = v;
            }
        }

        return best;
    }

    private static string? Extreme(string?[] values, Comparison<string> compare, bool minimum)
    {
        string? best = null;
        foreach (var value in values)
        {
            if (value is not null && (best is null || (minimum ? compare(value, best) < 0 : compare(value, best) > 0)))
            {
                best = value;
            }
        }

        return best;
    }

    private static int SafePrefixLength(string s) =>
        char.IsHighSurrogate(s[StringPrefixLength - 1]) ? StringPrefixLength - 1 : StringPrefixLength;
}
