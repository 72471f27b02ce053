using System.Data;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Model;
using Microsoft.Data.SqlClient;

namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>Fills a load's staging table: COPY INTO from the lake, or SqlBulkCopy of rows the lake library reads.</summary>
internal static class SynapseStaging
{
    /// <summary>
    /// The COPY INTO statements for a Gold version: its active files (the snapshot, not a folder wildcard: a Delta
    /// folder also holds removed files that vacuum has not deleted yet), in groups of <paramref name="filesPerStatement"/>.
    /// </summary>
    public static IReadOnlyList<string> CopyIntoStatements(GoldTableVersion gold, string loadId, SynapseOptions options)
    {
        var urls = FileUrls(gold, options.LakeUrl ?? throw new InvalidOperationException("Warehouse:Synapse:LakeUrl is empty; COPY INTO needs the lake's https URL."));
        return [.. urls.Chunk(options.CopyFilesPerStatement).Select(chunk => SynapseStatements.CopyInto(gold.Table, loadId, chunk, options.CopyCredential))];
    }

    /// <summary>The https URL of each active file: lake root + table path + add.path (already URI-encoded by Delta).</summary>
    public static IReadOnlyList<string> FileUrls(GoldTableVersion gold, string lakeUrl) =>
        [.. gold.Files.Select(f => lakeUrl.TrimEnd('/') + "/" + gold.Delta.Log.TableFile(f.Path))];

    /// <summary>
    /// Streams the Gold rows to the staging heap in batches of at least 102,400 rows (one batch when the table is
    /// smaller): each WriteToServer call is one bulk insert, never a row-by-row INSERT.
    /// </summary>
    public static async Task BulkCopyAsync(SqlConnection connection, GoldTableVersion gold, string loadId, SynapseOptions options, CancellationToken cancellationToken)
    {
        var table = gold.Table;
        using SqlBulkCopy bulk = new(connection, SqlBulkCopyOptions.TableLock, null)
        {
            DestinationTableName = SynapseStatements.Staging(table, loadId),
            BatchSize = options.BulkCopyBatchRows,
            BulkCopyTimeout = (int)options.CommandTimeout.TotalSeconds,
            EnableStreaming = true,
        };
        foreach (var column in table.Columns)
        {
            bulk.ColumnMappings.Add(column.Name, column.Name);
        }

        using var buffer = NewBuffer(table);
        var names = table.Columns.Select(c => c.Name).ToList();
        await foreach (var batch in gold.Delta.ReadFilesAsync(gold.Snapshot, names, cancellationToken).ConfigureAwait(false))
        {
            AddRows(buffer, batch, names);
            if (buffer.Rows.Count >= options.BulkCopyBatchRows)
            {
                await bulk.WriteToServerAsync(buffer, cancellationToken).ConfigureAwait(false);
                buffer.Clear();
            }
        }

        if (buffer.Rows.Count > 0)
        {
            await bulk.WriteToServerAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DataTable NewBuffer(WarehouseTable table)
    {
        DataTable buffer = new(table.Name) { Locale = System.Globalization.CultureInfo.InvariantCulture };
        foreach (var column in table.Columns)
        {
            buffer.Columns.Add(column.Name, column.Type switch
            {
                WarehouseColumnType.BigInt => typeof(long),
                WarehouseColumnType.Int => typeof(int),
                WarehouseColumnType.Float => typeof(double),
                WarehouseColumnType.Bit => typeof(bool),
                WarehouseColumnType.Date or WarehouseColumnType.TimestampUtc => typeof(DateTime),
                _ => typeof(string),
            });
        }

        return buffer;
    }

    private static void AddRows(DataTable buffer, DeltaBatch batch, List<string> names)
    {
        var columns = names.Select(batch.Column).ToArray();
        var values = new object[columns.Length];
        for (var r = 0; r < batch.RowCount; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                values[c] = columns[c].GetValue(r) switch
                {
                    null => DBNull.Value,
                    // datetime2 holds the UTC wall clock; date holds the calendar date.
                    DateTimeOffset t => t.UtcDateTime,
                    DateOnly d => d.ToDateTime(TimeOnly.MinValue),
                    var v => v,
                };
            }

            buffer.Rows.Add(values);
        }
    }
}
