using HealthcareOrleans.Lake.Data;

namespace HealthcareOrleans.Lake.Schema;

/// <summary>
/// Schema enforcement on write: a batch must match the table's column types and nullability. With schema evolution
/// on, columns the table lacks are added as nullable columns (additive evolution only; types never change).
/// </summary>
internal static class SchemaEnforcer
{
    /// <summary>
    /// Checks <paramref name="batch"/> against <paramref name="schema"/>. Returns the schema to write with (the table's,
    /// or an evolved one) and the batch reshaped to it (table column order and names, absent nullable columns as null).
    /// </summary>
    public static (DeltaSchema Schema, DeltaBatch Batch, bool Evolved) Conform(DeltaSchema schema, IReadOnlyList<string> partitionColumns, DeltaBatch batch, bool mergeSchema)
    {
        List<DeltaField> added = [];
        foreach (var column in batch.Columns)
        {
            var field = schema.Find(column.Name);
            if (field is null)
            {
                if (!mergeSchema)
                {
                    throw new DeltaSchemaException(
                        $"Column '{column.Name}' ({column.Type}) is not in the table schema ({schema}). Enable schema evolution (DeltaWriteOptions.MergeSchema) to add it as a nullable column.");
                }

                if (!column.Type.IsPrimitive)
                {
                    throw new DeltaSchemaException($"Column '{column.Name}' has a nested type, which cannot be added.");
                }

                added.Add(new DeltaField(column.Name, column.Type, Nullable: true));
                continue;
            }

            if (!field.Type.Equals(column.Type))
            {
                throw new DeltaSchemaException(
                    $"Column '{field.Name}' is {field.Type} in the table but the batch gives {column.Type}. Convert the values, or write to a new column.");
            }
        }

        var target = added.Count == 0 ? schema : new DeltaSchema(schema.Fields.Concat(added));
        var columns = new DeltaColumn[target.Fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var field = target.Fields[i];
            if (field.Metadata().Contains("delta.invariants", StringComparison.Ordinal))
            {
                // Writer version 2 requires enforcing column invariants; we cannot evaluate their SQL expressions.
                throw new DeltaSchemaException($"Column '{field.Name}' carries a delta.invariants constraint, which this writer cannot enforce; refusing to write.");
            }

            if (!batch.HasColumn(field.Name))
            {
                if (!field.Nullable)
                {
                    throw new DeltaSchemaException($"Column '{field.Name}' is NOT NULL but the batch has no values for it.");
                }

                columns[i] = DeltaColumn.Constant(field.Name, field.Type, null, batch.RowCount);
                continue;
            }

            var column = batch.Column(field.Name);
            if (!field.Nullable && column.NullCount() > 0)
            {
                var row = Enumerable.Range(0, column.Length).First(column.IsNull);
                throw new DeltaSchemaException($"Column '{field.Name}' is NOT NULL but row {row} of the batch is null.");
            }

            if (partitionColumns.Contains(field.Name, StringComparer.OrdinalIgnoreCase) && field.Type.Kind == DeltaTypeKind.Binary)
            {
                throw new DeltaSchemaException($"Partition column '{field.Name}' is binary, which cannot be a partition value.");
            }

            columns[i] = column.Name == field.Name ? column : column.Rename(field.Name, field.Type);
        }

        return (target, new DeltaBatch(columns), added.Count > 0);
    }

    private static string Metadata(this DeltaField field) => field.MetadataJson;
}
