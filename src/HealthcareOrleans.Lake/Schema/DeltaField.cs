namespace HealthcareOrleans.Lake.Schema;

/// <summary>A top-level column of a Delta table schema.</summary>
/// <param name="Name">Column name, case-preserving.</param>
/// <param name="Type">The Delta type.</param>
/// <param name="Nullable">Whether the column may hold null.</param>
/// <param name="MetadataJson">The field's "metadata" JSON object, kept verbatim ("{}" when empty).</param>
public sealed record DeltaField(string Name, DeltaType Type, bool Nullable = true, string MetadataJson = "{}")
{
    public static DeltaField String(string name, bool nullable = true) => new(name, DeltaType.String, nullable);

    public static DeltaField Long(string name, bool nullable = true) => new(name, DeltaType.Long, nullable);

    public static DeltaField Integer(string name, bool nullable = true) => new(name, DeltaType.Integer, nullable);

    public static DeltaField Double(string name, bool nullable = true) => new(name, DeltaType.Double, nullable);

    public static DeltaField Boolean(string name, bool nullable = true) => new(name, DeltaType.Boolean, nullable);

    public static DeltaField Date(string name, bool nullable = true) => new(name, DeltaType.Date, nullable);

    public static DeltaField Timestamp(string name, bool nullable = true) => new(name, DeltaType.Timestamp, nullable);

    public static DeltaField Decimal(string name, int precision, int scale, bool nullable = true) => new(name, DeltaType.Decimal(precision, scale), nullable);
}
