namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>The warehouse and the Gold tables disagree (columns, types, keys); loading would lose or corrupt data.</summary>
public sealed class WarehouseSchemaException : Exception
{
    public WarehouseSchemaException()
    {
    }

    public WarehouseSchemaException(string message)
        : base(message)
    {
    }

    public WarehouseSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
