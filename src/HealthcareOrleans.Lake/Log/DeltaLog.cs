using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Lake.Log;

/// <summary>
/// The transaction log of one table: lists commits and checkpoints, replays them into snapshots, writes commits
/// with put-if-absent, and writes checkpoints.
/// </summary>
public sealed class DeltaLog
{
    private const int ParallelReads = 16;

    public DeltaLog(ILakeStorage storage, string tablePath)
    {
        Storage = storage ?? throw new ArgumentNullException(nameof(storage));
        TablePath = tablePath.Trim('/');
        LogPrefix = (TablePath.Length == 0 ? string.Empty : TablePath + "/") + DeltaLogPaths.LogFolder + "/";
    }

    public ILakeStorage Storage { get; }

    /// <summary>The table folder relative to the storage root ("" for the root itself).</summary>
    public string TablePath { get; }

    internal string LogPrefix { get; }

    internal string Describe => $"'{(TablePath.Length == 0 ? Storage.Location : TablePath)}'";

    /// <summary>The physical path (relative to the storage root) of a file relative to the table root.</summary>
    public string TableFile(string relative) => TablePath.Length == 0 ? relative : TablePath + "/" + relative;

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
        return listing.Commits.Count > 0 || listing.Checkpoints.Count > 0;
    }

    internal async Task<LogListing> ListAsync(CancellationToken cancellationToken)
    {
        LogListing listing = new();
        await foreach (var file in Storage.ListAsync(LogPrefix, cancellationToken).ConfigureAwait(false))
        {
            var name = file.Path[LogPrefix.Length..];
            if (name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            if (DeltaLogPaths.TryParseCommitVersion(name) is { } version)
            {
                listing.Commits[version] = file;
            }
            else if (DeltaLogPaths.TryParseCheckpoint(name) is { } checkpoint)
            {
                if (!listing.Checkpoints.TryGetValue(checkpoint.Version, out var parts))
                {
                    listing.Checkpoints[checkpoint.Version] = parts = new CheckpointParts(checkpoint.Parts);
                }

                if (parts.Expected == checkpoint.Parts)
                {
                    parts.Files.Add(file);
                }
            }
        }

        return listing;
    }

    /// <summary>Loads the snapshot at <paramref name="version"/> (latest when null).</summary>
    public async Task<DeltaSnapshot> LoadSnapshotAsync(long? version = null, CancellationToken cancellationToken = default)
    {
        var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
        return await LoadSnapshotAsync(listing, version, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<DeltaSnapshot> LoadSnapshotAsync(LogListing listing, long? version, CancellationToken cancellationToken)
    {
        if (listing.Commits.Count == 0 && listing.Checkpoints.Count == 0)
        {
            throw new DeltaProtocolException($"No Delta table at {Describe}: {LogPrefix} has no commits.");
        }

        var latest = Math.Max(listing.Commits.Count == 0 ? -1 : listing.Commits.Keys.Max(), listing.Checkpoints.Count == 0 ? -1 : listing.Checkpoints.Keys.Max());
        var target = version ?? latest;
        if (target > latest || target < 0)
        {
            throw new DeltaException($"Table {Describe} has versions up to {latest}; version {target} does not exist.");
        }

        var checkpointVersion = await ChooseCheckpointAsync(listing, target, cancellationToken).ConfigureAwait(false);
        SnapshotBuilder builder = new();
        if (checkpointVersion is { } cp)
        {
            foreach (var part in listing.Checkpoints[cp].Files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                var content = await Storage.ReadAsync(part.Path, cancellationToken).ConfigureAwait(false);
                builder.Apply(await Checkpoint.DecodeAsync(content, cancellationToken).ConfigureAwait(false));
            }
        }

        var first = (checkpointVersion ?? -1) + 1;
        var commits = await ReadCommitsAsync(listing, first, target, cancellationToken).ConfigureAwait(false);
        foreach (var actions in commits)
        {
            builder.Apply(actions);
        }

        return builder.Build(target, CommitTimestamp(listing, target), Describe);
    }

    /// <summary>Applies the commits after <paramref name="snapshot"/> up to the latest (or <paramref name="version"/>).</summary>
    internal async Task<DeltaSnapshot> UpdateAsync(DeltaSnapshot snapshot, LogListing listing, CancellationToken cancellationToken)
    {
        var latest = listing.Commits.Count == 0 ? snapshot.Version : listing.Commits.Keys.Max();
        if (latest <= snapshot.Version)
        {
            return snapshot;
        }

        if (!Enumerable.Range(0, (int)(latest - snapshot.Version)).All(i => listing.Commits.ContainsKey(snapshot.Version + 1 + i)))
        {
            // A gap after our snapshot (log cleanup raced us): rebuild from the latest checkpoint instead.
            return await LoadSnapshotAsync(listing, null, cancellationToken).ConfigureAwait(false);
        }

        SnapshotBuilder builder = new(snapshot);
        foreach (var actions in await ReadCommitsAsync(listing, snapshot.Version + 1, latest, cancellationToken).ConfigureAwait(false))
        {
            builder.Apply(actions);
        }

        return builder.Build(latest, CommitTimestamp(listing, latest), Describe);
    }

    /// <summary>Reads the actions of commits <paramref name="from"/>..<paramref name="to"/>, in version order.</summary>
    internal async Task<List<DeltaAction>[]> ReadCommitsAsync(LogListing listing, long from, long to, CancellationToken cancellationToken)
    {
        var count = (int)Math.Max(0, to - from + 1);
        for (var v = from; v <= to; v++)
        {
            if (!listing.Commits.ContainsKey(v))
            {
                throw new DeltaProtocolException(
                    $"Table {Describe}: the log is missing version {v} (versions must be contiguous; found {string.Join(", ", listing.Commits.Keys.Order().Take(10))}...).");
            }
        }

        var result = new List<DeltaAction>[count];
        // Commit files are small and independent; read several at once so remote storage latency does not add up.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var version = from + i;
            result[i] = await ReadCommitAsync(version, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    internal async Task<List<DeltaAction>> ReadCommitAsync(long version, CancellationToken cancellationToken)
    {
        var path = LogPrefix + DeltaLogPaths.CommitFileName(version);
        var content = await Storage.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        return DeltaActionJson.Parse(content, path);
    }

    /// <summary>Writes version <paramref name="version"/> if nobody has; false when another writer got there first.</summary>
    internal Task<bool> TryWriteCommitAsync(long version, IReadOnlyList<DeltaAction> actions, CancellationToken cancellationToken) =>
        Storage.PutIfAbsentAsync(LogPrefix + DeltaLogPaths.CommitFileName(version), DeltaActionJson.Serialize(actions), cancellationToken);

    internal async Task WriteCheckpointAsync(DeltaSnapshot snapshot, DateTimeOffset tombstoneCutoff, CancellationToken cancellationToken)
    {
        var content = await Checkpoint.EncodeAsync(snapshot, tombstoneCutoff.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        await Storage.WriteAsync(LogPrefix + DeltaLogPaths.CheckpointFileName(snapshot.Version), content, cancellationToken).ConfigureAwait(false);
        var size = 2 + snapshot.Transactions.Count + snapshot.ActiveFiles.Count + snapshot.Tombstones.Count;
        // Written after the checkpoint itself, so the hint never points at a checkpoint that is not there yet.
        await Storage.WriteAsync(LogPrefix + DeltaLogPaths.LastCheckpointFile, Checkpoint.EncodeLastCheckpoint(snapshot.Version, size), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Commit timestamps per version. Delta (without in-commit timestamps) defines a commit's timestamp as its log file's
    /// modification time; like Delta we make them strictly increasing so time travel is well defined after clock skew.
    /// </summary>
    internal static SortedList<long, DateTimeOffset> CommitTimestamps(LogListing listing)
    {
        SortedList<long, DateTimeOffset> timestamps = new(listing.Commits.Count);
        var previous = DateTimeOffset.MinValue;
        foreach (var (version, file) in listing.Commits.OrderBy(kv => kv.Key))
        {
            var ts = file.LastModified <= previous ? previous.AddMilliseconds(1) : file.LastModified;
            timestamps.Add(version, ts);
            previous = ts;
        }

        return timestamps;
    }

    private static DateTimeOffset CommitTimestamp(LogListing listing, long version) =>
        listing.Commits.ContainsKey(version) ? CommitTimestamps(listing)[version]
        : listing.Checkpoints.TryGetValue(version, out var cp) ? cp.Files[0].LastModified
        : DateTimeOffset.MinValue;

    private async Task<long?> ChooseCheckpointAsync(LogListing listing, long target, CancellationToken cancellationToken)
    {
        // _last_checkpoint is only a hint: "readers should ... if the file is missing or corrupt, list the log".
        long? hinted = null;
        try
        {
            var content = await Storage.ReadAsync(LogPrefix + DeltaLogPaths.LastCheckpointFile, cancellationToken).ConfigureAwait(false);
            hinted = Checkpoint.TryDecodeLastCheckpoint(content);
        }
        catch (FileNotFoundException)
        {
        }

        if (hinted is { } h && h <= target && listing.Checkpoints.TryGetValue(h, out var hintedParts) && hintedParts.IsComplete)
        {
            return h;
        }

        var candidates = listing.Checkpoints.Where(kv => kv.Key <= target && kv.Value.IsComplete).Select(kv => kv.Key).ToList();
        return candidates.Count == 0 ? null : candidates.Max();
    }
}
