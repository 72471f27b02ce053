using System.Globalization;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Partitioning;

/// <summary>
/// Converts partition values to and from their string form in add.partitionValues
/// (PROTOCOL.md "Partition Value Serialization"). A null value is a JSON null.
/// </summary>
public static class PartitionValueFormat
{
    /// <summary>The serialized form of a value, or null for null.</summary>
    public static string? Format(DeltaType type, object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                // Spark cannot tell an empty-string partition from a null one (both land in __HIVE_DEFAULT_PARTITION__),
                // so an empty string is stored as null, which every reader then returns.
                return s.Length == 0 ? null : s;
            case bool b:
                return b ? "true" : "false";
            case DateOnly d:
                return d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case DateTimeOffset t:
                // "Timestamps may also be encoded as an ISO8601 formatted timestamp adjusted to UTC timestamp such as
                // 1970-01-01T00:00:00.123456Z": unambiguous whatever the reader's session time zone.
                return t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            case float f:
                return f.ToString("R", CultureInfo.InvariantCulture);
            case double d:
                return d.ToString("R", CultureInfo.InvariantCulture);
            case IFormattable f when type.Kind is not DeltaTypeKind.Binary:
                return f.ToString(null, CultureInfo.InvariantCulture);
            default:
                throw new DeltaSchemaException($"A {type} value cannot be a partition value.");
        }
    }

    /// <summary>Parses a serialized partition value into the CLR value of <paramref name="type"/>.</summary>
    public static object? Parse(DeltaType type, string? text)
    {
        // data-reader-partition-values: an empty string partition value reads as null for every type.
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        return type.Kind switch
        {
            DeltaTypeKind.String => text,
            DeltaTypeKind.Long => long.Parse(text, inv),
            DeltaTypeKind.Integer => int.Parse(text, inv),
            DeltaTypeKind.Short => short.Parse(text, inv),
            DeltaTypeKind.Byte => sbyte.Parse(text, inv),
            DeltaTypeKind.Float => float.Parse(text, inv),
            DeltaTypeKind.Double => double.Parse(text, inv),
            DeltaTypeKind.Boolean => bool.Parse(text),
            DeltaTypeKind.Decimal => decimal.Parse(text, NumberStyles.Float, inv),
            DeltaTypeKind.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", inv),
            DeltaTypeKind.Timestamp => ParseTimestamp(text),
            DeltaTypeKind.Binary => System.Text.Encoding.UTF8.GetBytes(text),
            _ => throw new DeltaSchemaException($"Partition columns of type {type} are not supported."),
        };
    }

    private static DateTimeOffset ParseTimestamp(string text)
    {
        // Either "{year}-{month}-{day} {hour}:{minute}:{second}[.{microsecond}]" (no zone: read as UTC) or ISO 8601 with a zone.
        string[] formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"];
        return DateTimeOffset.ParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }
}
