using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.Loading;

/// <summary>Opens the Gold Delta tables at their latest versions and checks they still have what the warehouse expects.</summary>
public static class GoldSource
{
    /// <summary>The latest version of <paramref name="table"/>'s Gold table, or null when no flush has created it yet.</summary>
    public static async Task<GoldTableVersion?> OpenAsync(ILakeStorage lake, WarehouseTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(table);
        if (!await new DeltaLog(lake, table.GoldPath).ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var delta = await DeltaTable.OpenAsync(lake, table.GoldPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        var gold = new GoldTableVersion(table, delta, delta.Snapshot);
        Verify(table, delta.Snapshot.Schema, gold.Version);
        return gold;
    }

    /// <summary>
    /// Every warehouse column must exist in Gold with the same type; columns Gold added later (additive schema
    /// evolution) are ignored until the warehouse schema adds them, so a new Gold column never stops loading.
    /// </summary>
    public static void Verify(WarehouseTable table, DeltaSchema gold, long version)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(gold);
        List<string> problems = [];
        foreach (var column in table.Columns)
        {
            var field = gold.Find(column.Name);
            if (field is null)
            {
                problems.Add($"column '{column.Name}' is missing");
            }
            else if (TypeOf(field.Type) != column.Type)
            {
                problems.Add($"column '{column.Name}' is {field.Type}, the warehouse expects {column.Type}");
            }
        }

        if (problems.Count > 0)
        {
            throw new WarehouseSchemaException(
                $"Gold table {table.GoldPath} version {version} does not match warehouse table {table.Name}: {string.Join("; ", problems)}. " +
                "Bring WarehouseSchema and sql/*/create_star_schema.sql in line with GoldSchemas, then load again.");
        }
    }

    /// <summary>The warehouse type of a Delta type, or null when the warehouse has none (nested and binary types).</summary>
    public static WarehouseColumnType? TypeOf(DeltaType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Kind switch
        {
            DeltaTypeKind.Long => WarehouseColumnType.BigInt,
            DeltaTypeKind.Integer => WarehouseColumnType.Int,
            DeltaTypeKind.Double => WarehouseColumnType.Float,
            DeltaTypeKind.Boolean => WarehouseColumnType.Bit,
            DeltaTypeKind.Date => WarehouseColumnType.Date,
            DeltaTypeKind.Timestamp => WarehouseColumnType.TimestampUtc,
            DeltaTypeKind.String => WarehouseColumnType.Text,
            _ => null,
        };
    }
}
