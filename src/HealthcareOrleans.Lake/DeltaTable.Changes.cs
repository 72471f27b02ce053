using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake;

/// <summary>The data one commit added, as a streaming reader of the table sees it.</summary>
/// <param name="Version">The commit's version.</param>
/// <param name="AddedFiles">Files added with <c>dataChange = true</c>, in the commit's action order.</param>
public sealed record DeltaCommitChanges(long Version, IReadOnlyList<AddFile> AddedFiles);

public sealed partial class DeltaTable
{
    /// <summary>
    /// The files each commit from <paramref name="fromVersion"/> to <paramref name="toVersion"/> added as new data, for
    /// incremental consumers (a layer derived from this table). Adds with <c>dataChange = false</c> (compaction) are
    /// left out: Delta PROTOCOL.md — "dataChange: when false the logical file must already be present in the table or
    /// the records in the added file must be contained in one or more remove actions in the same version", so
    /// reading them again would duplicate rows. Files compacted and then vacuumed can no longer be read this way.
    /// </summary>
    public async Task<IReadOnlyList<DeltaCommitChanges>> GetChangesAsync(long fromVersion, long toVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        if (toVersion < fromVersion)
        {
            return [];
        }

        var listing = await Log.ListAsync(cancellationToken).ConfigureAwait(false);
        var commits = await Log.ReadCommitsAsync(listing, fromVersion, toVersion, cancellationToken).ConfigureAwait(false);
        var changes = new DeltaCommitChanges[commits.Length];
        for (var i = 0; i < commits.Length; i++)
        {
            changes[i] = new DeltaCommitChanges(fromVersion + i, [.. commits[i].OfType<AddFile>().Where(a => a.DataChange)]);
        }

        return changes;
    }

    /// <summary>
    /// Reads one data file of the table with the columns of <paramref name="snapshot"/> (default: the latest known);
    /// columns the file predates read as null, partition columns come from the file's partition values.
    /// </summary>
    public Task<DeltaBatch> ReadFileAsync(AddFile file, DeltaSnapshot? snapshot = null, IReadOnlyList<string>? columns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        snapshot ??= Snapshot;
        return ReadFileAsync(snapshot, file, Project(snapshot.Schema, columns), cancellationToken);
    }
}
