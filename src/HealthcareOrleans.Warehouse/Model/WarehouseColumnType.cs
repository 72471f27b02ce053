namespace HealthcareOrleans.Warehouse.Model;

/// <summary>The column types the star schema uses, each with its Delta, Synapse and DuckDB spelling.</summary>
public enum WarehouseColumnType
{
    /// <summary>Delta long; Synapse bigint; DuckDB BIGINT.</summary>
    BigInt,

    /// <summary>Delta integer; Synapse int; DuckDB INTEGER.</summary>
    Int,

    /// <summary>Delta double; Synapse float (8 bytes); DuckDB DOUBLE.</summary>
    Float,

    /// <summary>Delta boolean; Synapse bit; DuckDB BOOLEAN.</summary>
    Bit,

    /// <summary>Delta date; Synapse date; DuckDB DATE.</summary>
    Date,

    /// <summary>Delta timestamp (UTC microseconds); Synapse datetime2(6); DuckDB TIMESTAMP, both holding UTC.</summary>
    TimestampUtc,

    /// <summary>Delta string; Synapse nvarchar(n); DuckDB VARCHAR.</summary>
    Text,
}
