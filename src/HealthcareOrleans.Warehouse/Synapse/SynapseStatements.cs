using System.Globalization;
using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>
/// The T-SQL a Synapse load runs for one table, as text (pure: tests parse every statement with ScriptDom).
/// Separate DELETE / UPDATE / INSERT rather than MERGE: a dedicated pool refuses "MERGE ... WHEN NOT MATCHED" on a
/// replicated target (our dimensions), and Microsoft's MERGE guidance says plain statements perform better when one
/// table is simply brought in line with another. UPDATE and DELETE use the implicit-join form because a dedicated pool
/// does not accept ANSI joins in their FROM clause (Synapse docs, CTAS: "ANSI join replacement for update statements").
/// </summary>
public static class SynapseStatements
{
    public static string Target(WarehouseTable table) => "dw." + Quote(table.Name);

    /// <summary>A staging table of its own per load, so concurrent or retried loads never see each other's rows.</summary>
    public static string StagingName(WarehouseTable table, string loadId) => table.Name + "__" + loadId;

    public static string Staging(WarehouseTable table, string loadId) => "stg." + Quote(StagingName(table, loadId));

    /// <summary>CTAS from the staging template: same columns, heap, distributed like the template (see create_star_schema.sql).</summary>
    public static string CreateStaging(WarehouseTable table, string loadId)
    {
        var distribution = SynapseTableDesign.DistributionColumn(table) is { } column ? $"HASH ({Quote(column)})" : "ROUND_ROBIN";
        return $"CREATE TABLE {Staging(table, loadId)} WITH (DISTRIBUTION = {distribution}, HEAP) AS SELECT * FROM stg.{Quote(table.Name)} WHERE 1 = 0;";
    }

    public static string DropStaging(WarehouseTable table, string loadId) =>
        $"IF OBJECT_ID(N'stg.{StagingName(table, loadId)}') IS NOT NULL DROP TABLE {Staging(table, loadId)};";

    /// <summary>
    /// COPY INTO the load's staging table from Gold Parquet files. The column list names the staging columns in the
    /// Gold schema's order, which is the order our writer puts them in each file. No CREDENTIAL for the caller's own
    /// Entra identity; the workspace's managed identity otherwise (never a secret in SQL text).
    /// </summary>
    public static string CopyInto(WarehouseTable table, string loadId, IReadOnlyList<string> fileUrls, CopyIntoCredential credential)
    {
        ArgumentNullException.ThrowIfNull(fileUrls);
        if (fileUrls.Count == 0)
        {
            throw new ArgumentException("COPY INTO needs at least one file.", nameof(fileUrls));
        }

        var from = string.Join(",\n     ", fileUrls.Select(Literal));
        var credentialClause = credential == CopyIntoCredential.ManagedIdentity ? ",\n    CREDENTIAL = (IDENTITY = 'Managed Identity')" : string.Empty;
        // AUTO_CREATE_TABLE is left at its default (OFF): the staging table exists, created by CreateStaging.
        return $"COPY INTO {Staging(table, loadId)} ({ColumnList(table)})\nFROM {from}\nWITH\n(\n    FILE_TYPE = 'PARQUET'{credentialClause}\n);";
    }

    public static string CountStaged(WarehouseTable table, string loadId) => $"SELECT COUNT_BIG(*) FROM {Staging(table, loadId)};";

    public static string CountDuplicateKeys(WarehouseTable table, string loadId)
    {
        var keys = string.Join(", ", table.NaturalKey.Select(Quote));
        return $"SELECT COUNT_BIG(*) FROM (SELECT {keys} FROM {Staging(table, loadId)} GROUP BY {keys} HAVING COUNT_BIG(*) > 1) AS d;";
    }

    public static string DeleteVanished(WarehouseTable table, string loadId) =>
        $"DELETE FROM {Target(table)} WHERE NOT EXISTS (SELECT 1 FROM {Staging(table, loadId)} AS s WHERE {KeyMatch(table, "s", Target(table))});";

    public static string CloseScd2Versions(WarehouseTable table, string loadId)
    {
        if (!table.IsScd2)
        {
            throw new InvalidOperationException($"{table.Name} is not an SCD2 dimension; it has no versions to close.");
        }

        return $"UPDATE {Target(table)} SET {SetList(table)} FROM {Staging(table, loadId)} AS s " +
               $"WHERE {KeyMatch(table, "s", Target(table))} AND {Target(table)}.[is_current] = 1 AND s.[is_current] = 0;";
    }

    /// <summary>Rows whose values differ from Gold's; the comparison is null-safe (dedicated pools lack IS DISTINCT FROM).</summary>
    public static string UpdateChanged(WarehouseTable table, string loadId)
    {
        var target = Target(table);
        var differs = string.Join("\n    OR ", table.ValueColumns.Select(c =>
        {
            var (t, s) = ($"{target}.{Quote(c.Name)}", $"s.{Quote(c.Name)}");
            return c.Nullable ? $"{t} <> {s} OR ({t} IS NULL AND {s} IS NOT NULL) OR ({t} IS NOT NULL AND {s} IS NULL)" : $"{t} <> {s}";
        }));
        return $"UPDATE {target} SET {SetList(table)} FROM {Staging(table, loadId)} AS s WHERE {KeyMatch(table, "s", target)} AND\n(\n    {differs}\n);";
    }

    public static string InsertNew(WarehouseTable table, string loadId) =>
        $"INSERT INTO {Target(table)} ({ColumnList(table)}) SELECT {ColumnList(table, "s")} FROM {Staging(table, loadId)} AS s " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {Target(table)} AS t WHERE {KeyMatch(table, "s", "t")});";

    public static string UpdateStatistics(WarehouseTable table) => $"UPDATE STATISTICS {Target(table)};";

    public const string LoadedVersion =
        "SELECT TOP (1) delta_table_id, delta_version FROM etl.load_log WHERE table_name = @table ORDER BY loaded_at DESC, delta_version DESC;";

    public const string AppendLoadLog =
        "INSERT INTO etl.load_log (table_name, delta_table_id, delta_version, loaded_at, load_path, rows_staged, rows_inserted, rows_updated, rows_closed, rows_deleted) " +
        "VALUES (@table, @table_id, @version, @loaded_at, @load_path, @staged, @inserted, @updated, @closed, @deleted);";

    /// <summary>Counts the star-schema objects the loader needs; fewer than expected means the DDL was not run.</summary>
    public const string CountSchemaObjects =
        "SELECT COUNT(*) FROM sys.tables AS t JOIN sys.schemas AS s ON s.schema_id = t.schema_id " +
        "WHERE (s.name = N'dw' AND t.name IN (N'dim_patient', N'dim_ward', N'dim_date', N'fact_encounter', N'fact_ward_stay', N'fact_ward_census_hourly')) " +
        "OR (s.name = N'stg' AND t.name IN (N'dim_patient', N'dim_ward', N'dim_date', N'fact_encounter', N'fact_ward_stay', N'fact_ward_census_hourly')) " +
        "OR (s.name = N'etl' AND t.name = N'load_log');";

    public const int SchemaObjectCount = 13;

    public static string Quote(string identifier) => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string ColumnList(WarehouseTable table, string? alias = null) =>
        string.Join(", ", table.Columns.Select(c => (alias is null ? string.Empty : alias + ".") + Quote(c.Name)));

    private static string SetList(WarehouseTable table) =>
        string.Join(", ", table.ValueColumns.Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"));

    private static string KeyMatch(WarehouseTable table, string source, string target) =>
        string.Join(" AND ", table.NaturalKey.Select(k => string.Create(CultureInfo.InvariantCulture, $"{source}.{Quote(k)} = {target}.{Quote(k)}")));
}
