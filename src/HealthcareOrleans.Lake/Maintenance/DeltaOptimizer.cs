using System.Globalization;
using HealthcareOrleans.Lake.Commit;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake.Maintenance;

/// <summary>
/// Compaction: rewrites the small files of each partition into larger ones, as one commit of removes and adds with
/// dataChange=false. PROTOCOL.md: dataChange=false means the operation "only rearranges existing data", so streaming
/// readers skip it, and readers at older versions still see the old files (vacuum keeps them for the retention period).
/// </summary>
public static class DeltaOptimizer
{
    public static async Task<OptimizeResult> OptimizeAsync(this DeltaTable table, OptimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        options = (options ?? new OptimizeOptions()).Validate();
        var snapshot = await table.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var groups = snapshot.ActiveFiles
            .Where(f => f.Size < options.SmallFileBytes)
            .GroupBy(f => ReadScope.PartitionKey(f.PartitionValues))
            .Where(g => g.Count() >= options.MinFilesToCompact)
            .ToList();
        if (groups.Count == 0)
        {
            return new OptimizeResult(snapshot.Version, false, 0, 0, 0);
        }

        var now = table.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        List<RemoveFile> removes = [];
        List<AddFile> adds = [];
        long rows = 0;
        foreach (var group in groups)
        {
            List<DeltaBatch> parts = [];
            foreach (var file in group.OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal))
            {
                parts.Add(await table.ReadFileAsync(snapshot, file, [.. snapshot.Schema.Fields], cancellationToken).ConfigureAwait(false));
                removes.Add(file.ToRemove(now, dataChange: false));
            }

            var merged = DeltaBatch.Concat(snapshot.Schema, parts);
            rows += merged.RowCount;
            adds.AddRange(await DataFileSetWriter.WriteAsync(table.Log, snapshot.Schema, snapshot.PartitionColumns, merged, options.MaxRowsPerFile, dataChange: false, table.Options.TimeProvider, cancellationToken).ConfigureAwait(false));
        }

        var result = await table.CommitAsync(snapshot, new PendingCommit
        {
            Operation = "OPTIMIZE",
            OperationParameters = new Dictionary<string, string>
            {
                ["smallFileBytes"] = options.SmallFileBytes.ToString(CultureInfo.InvariantCulture),
                ["minFilesToCompact"] = options.MinFilesToCompact.ToString(CultureInfo.InvariantCulture),
            },
            ReadVersion = snapshot.Version,
            // Compaction reads only the files it rewrites: concurrent appends elsewhere do not conflict, a concurrent
            // removal of one of them does (the committer checks removes of the same path).
            ReadScope = ReadScope.Nothing,
            Adds = adds,
            Removes = removes,
            OperationMetrics = DeltaTable.Metrics(adds, removes, rows),
        }, cancellationToken).ConfigureAwait(false);
        return new OptimizeResult(result.Version, result.Committed, removes.Count, adds.Count, groups.Count);
    }
}
