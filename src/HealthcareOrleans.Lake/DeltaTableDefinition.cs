using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake;

/// <summary>What a new table looks like: schema, partition columns and table properties.</summary>
public sealed class DeltaTableDefinition
{
    public required DeltaSchema Schema { get; init; }

    public IReadOnlyList<string> PartitionColumns { get; init; } = [];

    /// <summary>Table properties (metaData.configuration), e.g. <c>delta.checkpointInterval</c>.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public string? Name { get; init; }

    public string? Description { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Schema);
        foreach (var column in PartitionColumns)
        {
            var field = Schema.Find(column)
                ?? throw new DeltaSchemaException($"Partition column '{column}' is not in the schema ({Schema}).");
            if (!field.Type.IsPrimitive || field.Type.Kind == DeltaTypeKind.Binary)
            {
                throw new DeltaSchemaException($"Partition column '{column}' is {field.Type}; partition columns must be primitive, non-binary types.");
            }
        }

        if (PartitionColumns.Count == Schema.Fields.Count)
        {
            throw new DeltaSchemaException("Every column is a partition column; a table needs at least one data column.");
        }

        if (Properties.TryGetValue(TableProperties.CheckpointInterval, out var interval) && (!int.TryParse(interval, out var n) || n < 1))
        {
            throw new DeltaException($"{TableProperties.CheckpointInterval} must be a positive integer, not '{interval}'.");
        }
    }
}
