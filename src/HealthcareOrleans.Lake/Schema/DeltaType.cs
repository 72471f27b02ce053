using System.Globalization;
using System.Text.Json;

namespace HealthcareOrleans.Lake.Schema;

/// <summary>
/// A Delta column type. Primitive types carry data through this library; struct, array and map types are kept
/// verbatim (their JSON) so a schema written by another engine round-trips, but their values cannot be read or written here.
/// </summary>
public sealed class DeltaType : IEquatable<DeltaType>
{
    public static readonly DeltaType String = new(DeltaTypeKind.String);
    public static readonly DeltaType Long = new(DeltaTypeKind.Long);
    public static readonly DeltaType Integer = new(DeltaTypeKind.Integer);
    public static readonly DeltaType Short = new(DeltaTypeKind.Short);
    public static readonly DeltaType Byte = new(DeltaTypeKind.Byte);
    public static readonly DeltaType Float = new(DeltaTypeKind.Float);
    public static readonly DeltaType Double = new(DeltaTypeKind.Double);
    public static readonly DeltaType Boolean = new(DeltaTypeKind.Boolean);
    public static readonly DeltaType Binary = new(DeltaTypeKind.Binary);
    public static readonly DeltaType Date = new(DeltaTypeKind.Date);

    /// <summary>Delta "timestamp": microseconds since the epoch, adjusted to UTC (a timestamp with time zone).</summary>
    public static readonly DeltaType Timestamp = new(DeltaTypeKind.Timestamp);

    private readonly string? _complexJson;

    private DeltaType(DeltaTypeKind kind, int precision = 0, int scale = 0, string? complexJson = null)
    {
        Kind = kind;
        Precision = precision;
        Scale = scale;
        _complexJson = complexJson;
    }

    public DeltaTypeKind Kind { get; }

    /// <summary>Decimal precision (1..38); 0 for other types.</summary>
    public int Precision { get; }

    /// <summary>Decimal scale; 0 for other types.</summary>
    public int Scale { get; }

    public bool IsPrimitive => Kind is not (DeltaTypeKind.Struct or DeltaTypeKind.Array or DeltaTypeKind.Map);

    /// <summary>The .NET element type of a column of this type: always nullable (<c>long?</c>, <c>string?</c>, ...).</summary>
    public Type ClrType => Kind switch
    {
        DeltaTypeKind.String => typeof(string),
        DeltaTypeKind.Long => typeof(long?),
        DeltaTypeKind.Integer => typeof(int?),
        DeltaTypeKind.Short => typeof(short?),
        DeltaTypeKind.Byte => typeof(sbyte?),
        DeltaTypeKind.Float => typeof(float?),
        DeltaTypeKind.Double => typeof(double?),
        DeltaTypeKind.Boolean => typeof(bool?),
        DeltaTypeKind.Binary => typeof(byte[]),
        DeltaTypeKind.Date => typeof(DateOnly?),
        DeltaTypeKind.Timestamp => typeof(DateTimeOffset?),
        DeltaTypeKind.Decimal => typeof(decimal?),
        _ => throw new NotSupportedException($"Values of the nested Delta type {this} are not supported by HealthcareOrleans.Lake."),
    };

    /// <summary>Delta decimal(p,s). Delta allows precision up to 38; .NET decimal holds 28-29 digits, so we cap at 28.</summary>
    public static DeltaType Decimal(int precision, int scale)
    {
        if (precision is < 1 or > 28)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Decimal precision must be 1..28 (System.Decimal's range).");
        }

        if (scale < 0 || scale > precision)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"Decimal scale must be 0..{precision}.");
        }

        return new DeltaType(DeltaTypeKind.Decimal, precision, scale);
    }

    /// <summary>Parses a type from a schema string's "type" value (a name string or a nested type object).</summary>
    public static DeltaType Parse(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            var typeName = element.GetProperty("type").GetString();
            var kind = typeName switch
            {
                "struct" => DeltaTypeKind.Struct,
                "array" => DeltaTypeKind.Array,
                "map" => DeltaTypeKind.Map,
                _ => throw new FormatException($"Unknown nested Delta type '{typeName}'."),
            };
            return new DeltaType(kind, complexJson: element.GetRawText());
        }

        return FromName(element.GetString() ?? throw new FormatException("A Delta field type is null."));
    }

    /// <summary>Parses a primitive type name such as "long" or "decimal(10,2)".</summary>
    public static DeltaType FromName(string name) => name switch
    {
        "string" => String,
        "long" => Long,
        "integer" => Integer,
        "short" => Short,
        "byte" => Byte,
        "float" => Float,
        "double" => Double,
        "boolean" => Boolean,
        "binary" => Binary,
        "date" => Date,
        "timestamp" => Timestamp,
        "decimal" => Decimal(10, 0),
        _ when name.StartsWith("decimal(", StringComparison.Ordinal) => ParseDecimal(name),
        _ => throw new NotSupportedException($"The Delta type '{name}' is not supported (timestamp_ntz and others need table features beyond reader 1 / writer 2)."),
    };

    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (_complexJson is not null)
        {
            writer.WriteRawValue(_complexJson);
        }
        else
        {
            writer.WriteStringValue(ToString());
        }
    }

    public override string ToString() => Kind switch
    {
        DeltaTypeKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"decimal({Precision},{Scale})"),
        DeltaTypeKind.Struct or DeltaTypeKind.Array or DeltaTypeKind.Map => _complexJson!,
        _ => Kind.ToString().ToLowerInvariant(),
    };

    public bool Equals(DeltaType? other) =>
        other is not null && Kind == other.Kind && Precision == other.Precision && Scale == other.Scale && _complexJson == other._complexJson;

    public override bool Equals(object? obj) => Equals(obj as DeltaType);

    public override int GetHashCode() => HashCode.Combine(Kind, Precision, Scale, _complexJson);

    private static DeltaType ParseDecimal(string name)
    {
        var inner = name["decimal(".Length..^1].Split(',');
        if (inner.Length != 2)
        {
            throw new FormatException($"Malformed decimal type '{name}'.");
        }

        return Decimal(int.Parse(inner[0].Trim(), CultureInfo.InvariantCulture), int.Parse(inner[1].Trim(), CultureInfo.InvariantCulture));
    }
}
