using HealthcareOrleans.Lake.Schema;
using Parquet.Schema;

namespace HealthcareOrleans.Lake.Parquet;

/// <summary>Maps Delta types to Parquet fields the way Delta readers expect them.</summary>
internal static class ParquetFieldMapping
{
    /// <summary>
    /// Every data column is written OPTIONAL, as Spark does: nullability is enforced by the Delta schema at write time,
    /// and an optional column keeps files readable after a column later becomes nullable.
    /// </summary>
    public static DataField ToDataField(DeltaField field) => field.Type.Kind switch
    {
        DeltaTypeKind.String => new DataField<string>(field.Name, true),
        DeltaTypeKind.Long => new DataField<long?>(field.Name),
        DeltaTypeKind.Integer => new DataField<int?>(field.Name),
        DeltaTypeKind.Short => new DataField<short?>(field.Name),
        DeltaTypeKind.Byte => new DataField<sbyte?>(field.Name),
        DeltaTypeKind.Float => new DataField<float?>(field.Name),
        DeltaTypeKind.Double => new DataField<double?>(field.Name),
        DeltaTypeKind.Boolean => new DataField<bool?>(field.Name),
        DeltaTypeKind.Binary => new DataField<byte[]>(field.Name, true),
        // Parquet DATE: INT32 days since the epoch.
        DeltaTypeKind.Date => new DateTimeDataField(field.Name, DateTimeFormat.Date, isNullable: true),
        // Delta "timestamp" is stored as INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true); Parquet.Net's default is
        // legacy INT96, which other readers would have to guess about.
        DeltaTypeKind.Timestamp => new DateTimeDataField(field.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        // DECIMAL(p,s) as the Delta type says; physical INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision.
        DeltaTypeKind.Decimal => new DecimalDataField(field.Name, field.Type.Precision, field.Type.Scale, forceByteArrayEncoding: false, isNullable: true),
        _ => throw new NotSupportedException($"Column '{field.Name}' has the nested type {field.Type}; writing nested values is not supported."),
    };
}
