namespace HealthcareOrleans.Lake.Schema;

/// <summary>The Delta data types (PROTOCOL.md "Schema Serialization Format").</summary>
public enum DeltaTypeKind
{
    String,
    Long,
    Integer,
    Short,
    Byte,
    Float,
    Double,
    Boolean,
    Binary,
    Date,
    Timestamp,
    Decimal,
    Struct,
    Array,
    Map,
}
