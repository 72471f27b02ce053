using System.Globalization;
using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.DuckDb;

/// <summary>
/// The SQL a DuckDB load runs for one table, as text (pure, so tests can read it). All set-based: the staging table
/// holds the Gold version, and four statements make dw.&lt;table&gt; equal to it without touching equal rows.
/// Identifiers are quoted: several columns are SQL keywords (date, year, month, day, hour).
/// </summary>
public static class DuckDbStatements
{
    public static string Staging(WarehouseTable table) => "stg." + Quote(table.Name);

    public static string Target(WarehouseTable table) => "dw." + Quote(table.Name);

    public static string ClearStaging(WarehouseTable table) => $"DELETE FROM {Staging(table)}";

    /// <summary>
    /// Reads the Gold version's Parquet files straight into staging. union_by_name: a file written before a column
    /// existed lacks it and reads as NULL (Delta's additive schema evolution), instead of shifting the columns.
    /// </summary>
    public static string StageFromParquet(WarehouseTable table, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (files.Count == 0)
        {
            throw new ArgumentException("A Gold version without data files has nothing to read; clear the staging table instead.", nameof(files));
        }

        var list = string.Join(", ", files.Select(Literal));
        var select = string.Join(", ", table.Columns.Select(c => $"CAST({Quote(c.Name)} AS {c.DuckDbType}) AS {Quote(c.Name)}"));
        return $"INSERT INTO {Staging(table)} ({ColumnList(table)}) SELECT {select} FROM read_parquet([{list}], union_by_name = true)";
    }

    public static string CountStaged(WarehouseTable table) => $"SELECT COUNT(*) FROM {Staging(table)}";

    /// <summary>Natural keys that occur more than once in staging; a Gold version with any is refused.</summary>
    public static string CountDuplicateKeys(WarehouseTable table)
    {
        var keys = string.Join(", ", table.NaturalKey.Select(Quote));
        return $"SELECT COUNT(*) FROM (SELECT {keys} FROM {Staging(table)} GROUP BY {keys} HAVING COUNT(*) > 1) AS d";
    }

    /// <summary>Rows Gold no longer has: removed by a cancel, or a version merged away by a late event.</summary>
    public static string DeleteVanished(WarehouseTable table) =>
        $"DELETE FROM {Target(table)} WHERE NOT EXISTS (SELECT 1 FROM {Staging(table)} AS s WHERE {KeyMatch(table, "s", Quote(table.Name))})";

    /// <summary>SCD2: current versions that Gold has closed take its valid_to, is_current and the rest of its values.</summary>
    public static string CloseScd2Versions(WarehouseTable table)
    {
        RequireScd2(table);
        return $"UPDATE {Target(table)} AS t SET {SetList(table)} FROM {Staging(table)} AS s WHERE {KeyMatch(table, "s", "t")} AND t.\"is_current\" AND NOT s.\"is_current\"";
    }

    /// <summary>Rows whose values differ (null-safe) from Gold's row with the same natural key.</summary>
    public static string UpdateChanged(WarehouseTable table)
    {
        var differs = string.Join(" OR ", table.ValueColumns.Select(c => $"t.{Quote(c.Name)} IS DISTINCT FROM s.{Quote(c.Name)}"));
        return $"UPDATE {Target(table)} AS t SET {SetList(table)} FROM {Staging(table)} AS s WHERE {KeyMatch(table, "s", "t")} AND ({differs})";
    }

    public static string InsertNew(WarehouseTable table) =>
        $"INSERT INTO {Target(table)} ({ColumnList(table)}) SELECT {ColumnList(table, "s")} FROM {Staging(table)} AS s " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {Target(table)} AS t WHERE {KeyMatch(table, "s", "t")})";

    /// <summary>The newest load-log row of a table: the Gold table id and version it equals.</summary>
    public const string LoadedVersion =
        "SELECT delta_table_id, delta_version FROM etl.load_log WHERE table_name = $table ORDER BY loaded_at DESC, delta_version DESC LIMIT 1";

    public const string AppendLoadLog =
        "INSERT INTO etl.load_log (table_name, delta_table_id, delta_version, loaded_at, load_path, rows_staged, rows_inserted, rows_updated, rows_closed, rows_deleted) " +
        "VALUES ($table, $table_id, $version, $loaded_at, $load_path, $staged, $inserted, $updated, $closed, $deleted)";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string ColumnList(WarehouseTable table, string? alias = null) =>
        string.Join(", ", table.Columns.Select(c => (alias is null ? string.Empty : alias + ".") + Quote(c.Name)));

    private static string SetList(WarehouseTable table) =>
        string.Join(", ", table.ValueColumns.Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"));

    private static string KeyMatch(WarehouseTable table, string source, string target) =>
        string.Join(" AND ", table.NaturalKey.Select(k => string.Create(CultureInfo.InvariantCulture, $"{source}.{Quote(k)} = {target}.{Quote(k)}")));

    private static void RequireScd2(WarehouseTable table)
    {
        if (!table.IsScd2)
        {
            throw new InvalidOperationException($"{table.Name} is not an SCD2 dimension; it has no versions to close.");
        }
    }
}
