using DuckDB.NET.Data;
using HealthcareOrleans.Lake.Partitioning;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Model;

namespace HealthcareOrleans.Warehouse.DuckDb;

/// <summary>
/// Fills stg.&lt;table&gt; with the rows of one Gold version. DuckDB cannot read Delta here (no delta extension, and no
/// INSTALL without network), so the file list comes from our Delta snapshot: read_parquet over the active files when
/// they are on local disk and unpartitioned (fastest: DuckDB's own parallel reader), else the lake library reads
/// them (Azure Blob, partition values from add.partitionValues) and the Appender writes the rows.
/// </summary>
internal static class DuckDbStaging
{
    public const string ParquetPath = "read_parquet";
    public const string AppenderPath = "appender";

    public static async Task<(long Rows, string Path)> StageAsync(DuckDBConnection connection, ILakeStorage lake, GoldTableVersion gold, CancellationToken cancellationToken)
    {
        var table = gold.Table;
        await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.ClearStaging(table), cancellationToken).ConfigureAwait(false);
        string path;
        if (lake is LocalLakeStorage local && gold.Snapshot.PartitionColumns.Count == 0)
        {
            path = ParquetPath;
            if (gold.Files.Count > 0)
            {
                var files = gold.Files.Select(f => System.IO.Path.Combine(local.Location, gold.Delta.Log.TableFile(PartitionPath.FromUri(f.Path)))).ToList();
                await DuckDbWarehouse.ExecuteAsync(connection, DuckDbStatements.StageFromParquet(table, files), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            path = AppenderPath;
            await AppendAsync(connection, gold, cancellationToken).ConfigureAwait(false);
        }

        var staged = await DuckDbWarehouse.ScalarAsync(connection, DuckDbStatements.CountStaged(table), cancellationToken).ConfigureAwait(false);
        // The snapshot's stats say how many rows its files hold; staging anything else means a file was misread.
        if (gold.Snapshot.RowCount is { } expected && expected != staged)
        {
            throw new InvalidOperationException($"Staging {table.Name} read {staged} rows from Gold version {gold.Version}, whose files hold {expected}; nothing was changed.");
        }

        return (staged, path);
    }

    private static async Task AppendAsync(DuckDBConnection connection, GoldTableVersion gold, CancellationToken cancellationToken)
    {
        var table = gold.Table;
        var names = table.Columns.Select(c => c.Name).ToList();
        using var appender = connection.CreateAppender("stg", table.Name);
        await foreach (var batch in gold.Delta.ReadFilesAsync(gold.Snapshot, names, cancellationToken).ConfigureAwait(false))
        {
            var columns = names.Select(batch.Column).ToArray();
            for (var r = 0; r < batch.RowCount; r++)
            {
                var row = appender.CreateRow();
                foreach (var column in columns)
                {
                    Append(row, column.GetValue(r));
                }

                row.EndRow();
            }
        }
    }

    private static void Append(IDuckDBAppenderRow row, object? value)
    {
        switch (value)
        {
            case null: row.AppendNullValue(); break;
            case long v: row.AppendValue(v); break;
            case int v: row.AppendValue(v); break;
            case double v: row.AppendValue(v); break;
            case bool v: row.AppendValue(v); break;
            case string v: row.AppendValue(v); break;
            case DateOnly v: row.AppendValue(v); break;
            // The session is UTC and the column is TIMESTAMP: the UTC wall clock is the value.
            case DateTimeOffset v: row.AppendValue(v.UtcDateTime); break;
            default: throw new InvalidOperationException($"A Gold value of type {value.GetType().Name} has no DuckDB column type here.");
        }
    }
}
