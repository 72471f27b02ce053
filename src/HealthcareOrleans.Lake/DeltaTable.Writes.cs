using System.Globalization;
using HealthcareOrleans.Lake.Commit;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake;

public sealed partial class DeltaTable
{
    /// <summary>
    /// Appends a batch as one commit (a blind append: it never conflicts with concurrent appends). With
    /// <see cref="DeltaWriteOptions.ApplicationId"/>/<see cref="DeltaWriteOptions.ApplicationVersion"/> the commit carries a
    /// txn action, and the write is skipped (Committed = false) when that version is already in the table.
    /// </summary>
    public async Task<DeltaCommitResult> AppendAsync(DeltaBatch batch, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        options ??= DeltaWriteOptions.Default;
        options.Validate();
        EnsureWritable();
        var snapshot = Snapshot;
        if (AlreadyCommitted(snapshot, options))
        {
            return Skipped(snapshot);
        }

        var (schema, conformed, evolved) = SchemaEnforcer.Conform(snapshot.Schema, snapshot.PartitionColumns, batch, options.MergeSchema);
        if (conformed.RowCount == 0 && options.ApplicationId is null && !evolved)
        {
            return Skipped(snapshot);
        }

        var adds = await DataFileSetWriter.WriteAsync(Log, schema, snapshot.PartitionColumns, conformed, options.MaxRowsPerFile, dataChange: true, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        return await CommitAsync(snapshot, new PendingCommit
        {
            Operation = "WRITE",
            OperationParameters = Parameters(options, ("mode", "Append"), ("partitionBy", PartitionByJson(snapshot))),
            ReadVersion = snapshot.Version,
            Metadata = evolved ? snapshot.Metadata with { SchemaString = schema.ToJson() } : null,
            Transaction = Transaction(options),
            Adds = adds,
            OperationMetrics = Metrics(adds, [], conformed.RowCount),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the whole content of the table with <paramref name="batch"/> in one commit.</summary>
    public async Task<DeltaCommitResult> OverwriteAsync(DeltaBatch batch, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        options ??= DeltaWriteOptions.Default;
        options.Validate();
        EnsureWritable();
        var snapshot = Snapshot;
        EnsureNotAppendOnly(snapshot, "overwrite");
        if (AlreadyCommitted(snapshot, options))
        {
            return Skipped(snapshot);
        }

        var (schema, conformed, evolved) = SchemaEnforcer.Conform(snapshot.Schema, snapshot.PartitionColumns, batch, options.MergeSchema);
        var adds = await DataFileSetWriter.WriteAsync(Log, schema, snapshot.PartitionColumns, conformed, options.MaxRowsPerFile, dataChange: true, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var removes = snapshot.ActiveFiles.Select(f => f.ToRemove(now)).ToList();
        return await CommitAsync(snapshot, new PendingCommit
        {
            Operation = "WRITE",
            OperationParameters = Parameters(options, ("mode", "Overwrite"), ("partitionBy", PartitionByJson(snapshot))),
            ReadVersion = snapshot.Version,
            ReadScope = ReadScope.Table,
            Metadata = evolved ? snapshot.Metadata with { SchemaString = schema.ToJson() } : null,
            Transaction = Transaction(options),
            Adds = adds,
            Removes = removes,
            OperationMetrics = Metrics(adds, removes, conformed.RowCount),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the rows matching <paramref name="predicate"/>: files holding such rows are rewritten without them, in one commit.</summary>
    public Task<DeltaCommitResult> DeleteWhereAsync(Func<DeltaRow, bool> predicate, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return RewriteAsync(batch => Mask(batch, predicate), null, _ => true, "DELETE", options, cancellationToken);
    }

    /// <summary>Replaces the rows matching <paramref name="predicate"/> with <paramref name="rows"/>, as one commit of removes and adds.</summary>
    public Task<DeltaCommitResult> ReplaceWhereAsync(Func<DeltaRow, bool> predicate, DeltaBatch rows, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(rows);
        return RewriteAsync(batch => Mask(batch, predicate), rows, _ => true, "REPLACE WHERE", options, cancellationToken);
    }

    /// <summary>
    /// MERGE-style upsert: every existing row whose key (<paramref name="keyColumns"/>) appears in <paramref name="rows"/>
    /// is replaced by the new row, other new rows are inserted; one commit. Files whose partition values or key
    /// statistics rule out every key are not read.
    /// </summary>
    public Task<DeltaCommitResult> UpsertAsync(DeltaBatch rows, IReadOnlyList<string> keyColumns, DeltaWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var keys = new UpsertKeys(Snapshot, rows, keyColumns);
        return RewriteAsync(keys.Match, rows, keys.MayContainKeys, "MERGE", options, cancellationToken);
    }

    internal async Task<DeltaCommitResult> CommitAsync(DeltaSnapshot snapshot, PendingCommit pending, CancellationToken cancellationToken)
    {
        try
        {
            var (committed, attempts) = await _committer.CommitAsync(snapshot, pending, cancellationToken).ConfigureAwait(false);
            Snapshot = committed;
            return new DeltaCommitResult(committed.Version, true, pending.Adds.Count, pending.Removes.Count, attempts, committed);
        }
        catch (TransactionAlreadyCommittedException)
        {
            // Another instance already wrote this application version: exactly-once means we add nothing.
            return Skipped(await RefreshAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<DeltaCommitResult> RewriteAsync(
        Func<DeltaBatch, bool[]> match, DeltaBatch? newRows, Func<AddFile, bool> candidate, string operation, DeltaWriteOptions? options, CancellationToken cancellationToken)
    {
        options ??= DeltaWriteOptions.Default;
        options.Validate();
        EnsureWritable();
        var snapshot = Snapshot;
        EnsureNotAppendOnly(snapshot, operation);
        if (AlreadyCommitted(snapshot, options))
        {
            return Skipped(snapshot);
        }

        var schema = snapshot.Schema;
        DeltaBatch? conformedNew = null;
        var evolved = false;
        if (newRows is not null)
        {
            (schema, conformedNew, evolved) = SchemaEnforcer.Conform(snapshot.Schema, snapshot.PartitionColumns, newRows, options.MergeSchema);
        }

        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var candidates = snapshot.ActiveFiles.Where(candidate).ToList();
        List<RemoveFile> removes = [];
        List<DeltaBatch> keep = [];
        foreach (var file in candidates)
        {
            var content = await ReadFileAsync(snapshot, file, [.. snapshot.Schema.Fields], cancellationToken).ConfigureAwait(false);
            var matched = match(content);
            if (!matched.Contains(true))
            {
                continue;
            }

            removes.Add(file.ToRemove(now));
            var kept = Enumerable.Range(0, content.RowCount).Where(i => !matched[i]).ToArray();
            if (kept.Length > 0)
            {
                keep.Add(content.Take(kept));
            }
        }

        if (conformedNew is { RowCount: > 0 })
        {
            keep.Add(conformedNew);
        }

        if (removes.Count == 0 && conformedNew is not { RowCount: > 0 } && options.ApplicationId is null)
        {
            return Skipped(snapshot);
        }

        var toWrite = keep.Count == 0 ? null : DeltaBatch.Concat(schema, keep);
        var adds = toWrite is null ? [] : await DataFileSetWriter.WriteAsync(Log, schema, snapshot.PartitionColumns, toWrite, options.MaxRowsPerFile, dataChange: true, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        // What we read: every candidate file's partition (or the whole table when it is unpartitioned). A concurrent
        // append there could hold rows our predicate should have matched, so it must conflict.
        var scope = snapshot.PartitionColumns.Count == 0
            ? ReadScope.Table
            : ReadScope.OfPartitions(candidates.Select(f => f.PartitionValues).Concat(adds.Select(a => a.PartitionValues)));
        return await CommitAsync(snapshot, new PendingCommit
        {
            Operation = operation,
            OperationParameters = Parameters(options),
            ReadVersion = snapshot.Version,
            ReadScope = scope,
            Metadata = evolved ? snapshot.Metadata with { SchemaString = schema.ToJson() } : null,
            Transaction = Transaction(options),
            Adds = adds,
            Removes = removes,
            OperationMetrics = Metrics(adds, removes, toWrite?.RowCount ?? 0),
        }, cancellationToken).ConfigureAwait(false);
    }

    private static bool[] Mask(DeltaBatch batch, Func<DeltaRow, bool> predicate)
    {
        var mask = new bool[batch.RowCount];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = predicate(batch.Row(i));
        }

        return mask;
    }

    private static bool AlreadyCommitted(DeltaSnapshot snapshot, DeltaWriteOptions options) =>
        options.ApplicationId is { } appId && snapshot.GetTransactionVersion(appId) >= options.ApplicationVersion;

    private DeltaCommitResult Skipped(DeltaSnapshot snapshot) => new(snapshot.Version, false, 0, 0, 0, snapshot);

    private TransactionAction? Transaction(DeltaWriteOptions options) =>
        options.ApplicationId is { } appId
            ? new TransactionAction(appId, options.ApplicationVersion!.Value, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds())
            : null;

    private void EnsureNotAppendOnly(DeltaSnapshot snapshot, string operation)
    {
        if (TableProperties.IsAppendOnly(snapshot))
        {
            throw new DeltaException($"Table {Log.Describe} is append-only ({TableProperties.AppendOnly}=true); {operation} would remove data and is refused.");
        }
    }

    private static string PartitionByJson(DeltaSnapshot snapshot) =>
        "[" + string.Join(",", snapshot.PartitionColumns.Select(c => "\"" + c + "\"")) + "]";

    private static Dictionary<string, string> Parameters(DeltaWriteOptions options, params (string Key, string Value)[] fixedParameters)
    {
        Dictionary<string, string> parameters = new(StringComparer.Ordinal);
        foreach (var (key, value) in options.CommitParameters ?? new Dictionary<string, string>())
        {
            parameters[key] = value;
        }

        foreach (var (key, value) in fixedParameters)
        {
            parameters[key] = value;
        }

        return parameters;
    }

    internal static Dictionary<string, string> Metrics(IReadOnlyList<AddFile> adds, IReadOnlyList<RemoveFile> removes, long rows) => new(StringComparer.Ordinal)
    {
        ["numFiles"] = adds.Count.ToString(CultureInfo.InvariantCulture),
        ["numRemovedFiles"] = removes.Count.ToString(CultureInfo.InvariantCulture),
        ["numOutputRows"] = rows.ToString(CultureInfo.InvariantCulture),
        ["numOutputBytes"] = adds.Sum(a => a.Size).ToString(CultureInfo.InvariantCulture),
    };
}
