using System.Runtime.CompilerServices;
using HealthcareOrleans.Lake.Commit;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Parquet;
using HealthcareOrleans.Lake.Partitioning;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Lake;

/// <summary>
/// A Delta Lake table (protocol reader 1 / writer 2) in lake storage: create/open, snapshots and time travel, reads,
/// history, and (in DeltaTable.Writes.cs) appends, overwrites, deletes and upserts. An instance caches the latest
/// snapshot it knows; several instances (or processes) may write the same table concurrently.
/// Not thread-safe for concurrent writes through the same instance: use one instance per writer.
/// </summary>
public sealed partial class DeltaTable
{
    /// <summary>The protocol of tables we create: "minReaderVersion 1, minWriterVersion 2" (append-only and invariants).</summary>
    public static readonly ProtocolAction DefaultProtocol = new(1, 2);

    private const int SupportedWriterVersion = 2;

    private readonly DeltaTableOptions _options;
    private readonly DeltaCommitter _committer;

    private DeltaTable(DeltaLog log, DeltaSnapshot snapshot, DeltaTableOptions options)
    {
        Log = log;
        Snapshot = snapshot;
        _options = options;
        _committer = new DeltaCommitter(log, options);
    }

    public DeltaLog Log { get; }

    /// <summary>The latest snapshot this instance has seen (after its own commits or <see cref="RefreshAsync"/>).</summary>
    public DeltaSnapshot Snapshot { get; private set; }

    public DeltaSchema Schema => Snapshot.Schema;

    public long Version => Snapshot.Version;

    internal DeltaTableOptions Options => _options;

    /// <summary>Opens an existing table. Throws <see cref="DeltaProtocolException"/> when there is none at the path.</summary>
    public static async Task<DeltaTable> OpenAsync(ILakeStorage storage, string tablePath, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        DeltaLog log = new(storage, tablePath);
        var snapshot = await log.LoadSnapshotAsync(null, cancellationToken).ConfigureAwait(false);
        return new DeltaTable(log, snapshot, (options ?? new DeltaTableOptions()).Validate());
    }

    /// <summary>Creates a new, empty table (version 0: protocol + metaData). Throws when a table already exists there.</summary>
    public static async Task<DeltaTable> CreateAsync(ILakeStorage storage, string tablePath, DeltaTableDefinition definition, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        options = (options ?? new DeltaTableOptions()).Validate();
        DeltaLog log = new(storage, tablePath);
        var now = options.TimeProvider.GetUtcNow();
        MetadataAction metadata = new(
            Guid.NewGuid().ToString(),
            definition.Schema.ToJson(),
            definition.PartitionColumns.Select(c => definition.Schema[c].Name).ToArray(),
            definition.Properties.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
            now.ToUnixTimeMilliseconds(),
            definition.Name,
            definition.Description);
        PendingCommit create = new()
        {
            Operation = "CREATE TABLE",
            OperationParameters = new Dictionary<string, string>
            {
                ["partitionBy"] = "[" + string.Join(",", metadata.PartitionColumns.Select(c => "\"" + c + "\"")) + "]",
            },
            ReadVersion = -1,
            Protocol = DefaultProtocol,
            Metadata = metadata,
        };
        var actions = create.ToActions(-1, now.ToUnixTimeMilliseconds(), options.EngineInfo, Guid.NewGuid().ToString());
        if (!await log.TryWriteCommitAsync(0, actions, cancellationToken).ConfigureAwait(false))
        {
            throw new DeltaException($"A Delta table already exists at {log.Describe}; open it instead.");
        }

        SnapshotBuilder builder = new();
        builder.Apply(actions);
        return new DeltaTable(log, builder.Build(0, now, log.Describe), options);
    }

    /// <summary>Opens the table, creating it from <paramref name="definition"/> first if there is none (safe under races).</summary>
    public static async Task<DeltaTable> OpenOrCreateAsync(ILakeStorage storage, string tablePath, DeltaTableDefinition definition, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        DeltaLog log = new(storage, tablePath);
        if (!await log.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                return await CreateAsync(storage, tablePath, definition, options, cancellationToken).ConfigureAwait(false);
            }
            catch (DeltaException)
            {
                // Another process may have created it between our check and our create: then use theirs.
                if (!await log.ExistsAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }

        return await OpenAsync(storage, tablePath, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Catches up with commits made by others and returns the latest snapshot.</summary>
    public async Task<DeltaSnapshot> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var listing = await Log.ListAsync(cancellationToken).ConfigureAwait(false);
        Snapshot = await Log.UpdateAsync(Snapshot, listing, cancellationToken).ConfigureAwait(false);
        return Snapshot;
    }

    /// <summary>The table as of <paramref name="version"/> (time travel by version).</summary>
    public Task<DeltaSnapshot> GetSnapshotAsync(long version, CancellationToken cancellationToken = default) =>
        version == Snapshot.Version ? Task.FromResult(Snapshot) : Log.LoadSnapshotAsync(version, cancellationToken);

    /// <summary>
    /// The table as of <paramref name="timestamp"/>: the latest version committed at or before it. Commit times are the
    /// log files' modification times, which is what Delta readers use when in-commit timestamps are not enabled.
    /// </summary>
    public async Task<DeltaSnapshot> GetSnapshotAtAsync(DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        var listing = await Log.ListAsync(cancellationToken).ConfigureAwait(false);
        var timestamps = DeltaLog.CommitTimestamps(listing);
        long? chosen = null;
        foreach (var (version, committed) in timestamps)
        {
            if (committed <= timestamp)
            {
                chosen = version;
            }
        }

        if (chosen is null)
        {
            var earliest = timestamps.Count == 0 ? "none" : $"version {timestamps.Keys[0]} at {timestamps.Values[0]:O}";
            throw new DeltaException($"Table {Log.Describe} has no version at or before {timestamp:O}; the earliest available is {earliest}.");
        }

        return await Log.LoadSnapshotAsync(listing, chosen, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads every row of <paramref name="snapshot"/> (default: the latest known), optionally only some columns.</summary>
    public async Task<DeltaBatch> ReadAsync(DeltaSnapshot? snapshot = null, IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default)
    {
        snapshot ??= Snapshot;
        var fields = Project(snapshot.Schema, columns);
        List<DeltaBatch> parts = [];
        await foreach (var part in ReadFilesAsync(snapshot, columns, cancellationToken).ConfigureAwait(false))
        {
            parts.Add(part);
        }

        var schema = new DeltaSchema(fields);
        return parts.Count == 0
            ? new DeltaBatch(fields.Select(f => DeltaColumn.Constant(f.Name, f.Type, null, 0)))
            : DeltaBatch.Concat(schema, parts);
    }

    /// <summary>Reads the snapshot one data file at a time (bounded memory); files in commit order.</summary>
    public async IAsyncEnumerable<DeltaBatch> ReadFilesAsync(DeltaSnapshot? snapshot = null, IReadOnlyList<string>? columns = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        snapshot ??= Snapshot;
        var fields = Project(snapshot.Schema, columns);
        var files = snapshot.ActiveFiles.OrderBy(f => f.ModificationTime).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
        for (var start = 0; start < files.Count; start += _options.ReadParallelism)
        {
            var window = files.Skip(start).Take(_options.ReadParallelism).Select(f => ReadFileAsync(snapshot, f, fields, cancellationToken)).ToList();
            foreach (var task in window)
            {
                yield return await task.ConfigureAwait(false);
            }
        }
    }

    /// <summary>The versions of the table, newest first, with what each commit did.</summary>
    public async Task<IReadOnlyList<DeltaHistoryEntry>> HistoryAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        var listing = await Log.ListAsync(cancellationToken).ConfigureAwait(false);
        var timestamps = DeltaLog.CommitTimestamps(listing);
        var versions = timestamps.Keys.Reverse().Take(limit ?? int.MaxValue).ToList();
        var entries = new DeltaHistoryEntry[versions.Count];
        await Parallel.ForAsync(0, versions.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var actions = await Log.ReadCommitAsync(versions[i], ct).ConfigureAwait(false);
            var info = actions.OfType<CommitInfo>().FirstOrDefault();
            entries[i] = new DeltaHistoryEntry(
                versions[i],
                timestamps[versions[i]],
                info?.Operation,
                info?.OperationParameters ?? new Dictionary<string, string>(),
                info?.OperationMetrics ?? new Dictionary<string, string>(),
                info?.ReadVersion,
                info?.IsBlindAppend,
                info?.EngineInfo,
                actions.OfType<AddFile>().Count(),
                actions.OfType<RemoveFile>().Count(),
                actions.OfType<TransactionAction>().ToDictionary(t => t.AppId, t => t.Version));
        }).ConfigureAwait(false);
        return entries;
    }

    /// <summary>The last version committed by an idempotent writer (txn appId), from the cached snapshot.</summary>
    public long? GetTransactionVersion(string applicationId) => Snapshot.GetTransactionVersion(applicationId);

    internal async Task<DeltaBatch> ReadFileAsync(DeltaSnapshot snapshot, AddFile file, IReadOnlyList<DeltaField> fields, CancellationToken cancellationToken)
    {
        var physical = Log.TableFile(PartitionPath.FromUri(file.Path));
        LakeFileContent content;
        try
        {
            content = await Log.Storage.ReadPooledAsync(physical, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new DeltaException($"Table {Log.Describe} version {snapshot.Version} references the data file '{file.Path}', which is missing (deleted by a vacuum with too short a retention?).", e);
        }

        var partitionColumns = snapshot.PartitionColumns;
        var dataFields = fields.Where(f => !partitionColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        DeltaBatch data;
        using (content)
        {
            data = await DataFileReader.ReadAsync(content.Bytes, dataFields, cancellationToken).ConfigureAwait(false);
        }

        var columns = new DeltaColumn[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            if (partitionColumns.Contains(field.Name, StringComparer.OrdinalIgnoreCase))
            {
                var key = file.PartitionValues.Keys.FirstOrDefault(k => string.Equals(k, field.Name, StringComparison.OrdinalIgnoreCase));
                var text = key is null ? null : file.PartitionValues[key];
                columns[i] = DeltaColumn.Constant(field.Name, field.Type, PartitionValueFormat.Parse(field.Type, text), data.RowCount);
            }
            else
            {
                columns[i] = data.Column(field.Name);
            }
        }

        return new DeltaBatch(columns);
    }

    private static List<DeltaField> Project(DeltaSchema schema, IReadOnlyList<string>? columns) =>
        columns is null ? [.. schema.Fields] : [.. columns.Select(c => schema[c])];

    private void EnsureWritable()
    {
        if (Snapshot.Protocol.MinWriterVersion > SupportedWriterVersion)
        {
            throw new DeltaProtocolException(
                $"Table {Log.Describe} needs Delta writer version {Snapshot.Protocol.MinWriterVersion}; this writer supports version {SupportedWriterVersion}. It can be read but not written.");
        }
    }
}
