namespace HealthcareOrleans.Warehouse.Model;

/// <summary>One column of a warehouse table, named and typed as in the Gold Delta table it mirrors.</summary>
/// <param name="MaxLength">Characters for <see cref="WarehouseColumnType.Text"/> (Synapse nvarchar(n)); 0 otherwise.</param>
public sealed record WarehouseColumn(string Name, WarehouseColumnType Type, bool Nullable, int MaxLength = 0)
{
    public static WarehouseColumn BigInt(string name, bool nullable = false) => new(name, WarehouseColumnType.BigInt, nullable);

    public static WarehouseColumn Int(string name, bool nullable = false) => new(name, WarehouseColumnType.Int, nullable);

    public static WarehouseColumn Float(string name, bool nullable = false) => new(name, WarehouseColumnType.Float, nullable);

    public static WarehouseColumn Bit(string name, bool nullable = false) => new(name, WarehouseColumnType.Bit, nullable);

    public static WarehouseColumn Date(string name, bool nullable = false) => new(name, WarehouseColumnType.Date, nullable);

    public static WarehouseColumn Timestamp(string name, bool nullable = false) => new(name, WarehouseColumnType.TimestampUtc, nullable);

    public static WarehouseColumn Text(string name, int maxLength, bool nullable = false) => new(name, WarehouseColumnType.Text, nullable, maxLength);

    /// <summary>The Synapse (T-SQL) type.</summary>
    public string SynapseType => Type switch
    {
        WarehouseColumnType.BigInt => "bigint",
        WarehouseColumnType.Int => "int",
        WarehouseColumnType.Float => "float",
        WarehouseColumnType.Bit => "bit",
        WarehouseColumnType.Date => "date",
        WarehouseColumnType.TimestampUtc => "datetime2(6)",
        WarehouseColumnType.Text => $"nvarchar({MaxLength})",
        _ => throw new InvalidOperationException($"Column {Name} has an unknown type {Type}."),
    };

    /// <summary>The DuckDB type.</summary>
    public string DuckDbType => Type switch
    {
        WarehouseColumnType.BigInt => "BIGINT",
        WarehouseColumnType.Int => "INTEGER",
        WarehouseColumnType.Float => "DOUBLE",
        WarehouseColumnType.Bit => "BOOLEAN",
        WarehouseColumnType.Date => "DATE",
        WarehouseColumnType.TimestampUtc => "TIMESTAMP",
        WarehouseColumnType.Text => "VARCHAR",
        _ => throw new InvalidOperationException($"Column {Name} has an unknown type {Type}."),
    };
}
