using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Parquet;
using HealthcareOrleans.Lake.Partitioning;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake;

/// <summary>
/// Writes a batch as data files: split by partition values into hive-style folders, one Parquet file per partition
/// (or several when larger than MaxRowsPerFile), and returns the add actions. Files are invisible to readers until
/// a commit references them; a crash leaves orphans that vacuum removes after the retention period.
/// </summary>
internal static class DataFileSetWriter
{
    public static async Task<List<AddFile>> WriteAsync(
        DeltaLog log,
        DeltaSchema schema,
        IReadOnlyList<string> partitionColumns,
        DeltaBatch batch,
        int maxRowsPerFile,
        bool dataChange,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        List<AddFile> adds = [];
        if (batch.RowCount == 0)
        {
            return adds;
        }

        var dataFields = schema.Fields.Where(f => !partitionColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        foreach (var (partitionValues, slice) in SplitByPartition(schema, partitionColumns, batch))
        {
            var folder = PartitionPath.Folder(partitionColumns, partitionValues);
            for (var start = 0; start < slice.RowCount; start += maxRowsPerFile)
            {
                var chunk = slice.RowCount <= maxRowsPerFile ? slice : slice.Take(Enumerable.Range(start, Math.Min(maxRowsPerFile, slice.RowCount - start)).ToArray());
                var content = await DataFileWriter.WriteAsync(dataFields, chunk, cancellationToken).ConfigureAwait(false);
                var physical = folder + "part-00000-" + Guid.NewGuid().ToString() + "-c000.snappy.parquet";
                await log.Storage.WriteAsync(log.TableFile(physical), content, cancellationToken).ConfigureAwait(false);
                adds.Add(new AddFile(
                    PartitionPath.ToUri(physical),
                    partitionValues,
                    content.Length,
                    clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    dataChange,
                    FileStatistics.Compute(dataFields, chunk)));
            }
        }

        return adds;
    }

    /// <summary>Groups rows by their partition values without boxing each row (columns are factorized to ids first).</summary>
    private static IEnumerable<(IReadOnlyDictionary<string, string?> Values, DeltaBatch Rows)> SplitByPartition(
        DeltaSchema schema, IReadOnlyList<string> partitionColumns, DeltaBatch batch)
    {
        if (partitionColumns.Count == 0)
        {
            yield return (new Dictionary<string, string?>(), batch);
            yield break;
        }

        var combined = new long[batch.RowCount];
        List<List<object?>> distinctPerColumn = [];
        foreach (var name in partitionColumns)
        {
            var ids = batch.Column(name).Factorize(out var distinct);
            distinctPerColumn.Add(distinct);
            for (var i = 0; i < combined.Length; i++)
            {
                combined[i] = (combined[i] * distinct.Count) + ids[i];
            }
        }

        Dictionary<long, List<int>> groups = [];
        for (var i = 0; i < combined.Length; i++)
        {
            if (!groups.TryGetValue(combined[i], out var rows))
            {
                groups[combined[i]] = rows = [];
            }

            rows.Add(i);
        }

        foreach (var rows in groups.Values)
        {
            var first = rows[0];
            Dictionary<string, string?> values = new(StringComparer.Ordinal);
            foreach (var name in partitionColumns)
            {
                var field = schema[name];
                values[field.Name] = PartitionValueFormat.Format(field.Type, batch.Column(name).GetValue(first));
            }

            yield return (values, groups.Count == 1 ? batch : batch.Take(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows)));
        }
    }
}
