using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake.Commit;

/// <summary>
/// Commits a <see cref="PendingCommit"/>: writes version N+1 with put-if-absent; when another writer created it first,
/// reads the winners' actions, checks them for conflicts, and tries the next version.
/// </summary>
internal sealed class DeltaCommitter(DeltaLog log, DeltaTableOptions options)
{
    public async Task<(DeltaSnapshot Snapshot, int Attempts)> CommitAsync(DeltaSnapshot readSnapshot, PendingCommit pending, CancellationToken cancellationToken)
    {
        var basis = readSnapshot;
        var version = readSnapshot.Version + 1;
        var txnId = Guid.NewGuid().ToString();
        for (var attempt = 1; attempt <= options.MaxCommitAttempts; attempt++)
        {
            var now = options.TimeProvider.GetUtcNow();
            var actions = pending.ToActions(pending.ReadVersion, now.ToUnixTimeMilliseconds(), options.EngineInfo, txnId);
            if (await log.TryWriteCommitAsync(version, actions, cancellationToken).ConfigureAwait(false))
            {
                SnapshotBuilder builder = new(basis);
                builder.Apply(actions);
                var snapshot = builder.Build(version, now, log.Describe);
                await MaybeCheckpointAsync(snapshot, cancellationToken).ConfigureAwait(false);
                return (snapshot, attempt);
            }

            // Lost the race: every version from ours up to the latest belongs to other writers.
            var listing = await log.ListAsync(cancellationToken).ConfigureAwait(false);
            var latest = Math.Max(listing.LatestCommit, version);
            var winners = await log.ReadCommitsAsync(listing, version, latest, cancellationToken).ConfigureAwait(false);
            SnapshotBuilder rebased = new(basis);
            for (var i = 0; i < winners.Length; i++)
            {
                ConflictChecker.Check(pending, version + i, winners[i], log.Describe);
                rebased.Apply(winners[i]);
            }

            basis = rebased.Build(latest, listing.Commits[latest].LastModified, log.Describe);
            if (pending.Transaction is { } txn && basis.GetTransactionVersion(txn.AppId) >= txn.Version)
            {
                throw new TransactionAlreadyCommittedException(
                    $"Table {log.Describe}: application '{txn.AppId}' already committed version {basis.GetTransactionVersion(txn.AppId)} while this write of version {txn.Version} was in flight.");
            }

            version = latest + 1;
        }

        throw new DeltaConcurrentModificationException(
            $"Table {log.Describe}: gave up committing after {options.MaxCommitAttempts} attempts; other writers keep winning. Reduce the number of concurrent writers or raise MaxCommitAttempts.");
    }

    private async Task MaybeCheckpointAsync(DeltaSnapshot snapshot, CancellationToken cancellationToken)
    {
        var interval = TableProperties.GetCheckpointInterval(snapshot);
        if (snapshot.Version > 0 && snapshot.Version % interval == 0)
        {
            var cutoff = options.TimeProvider.GetUtcNow() - TableProperties.GetDeletedFileRetention(snapshot);
            await log.WriteCheckpointAsync(snapshot, cutoff, cancellationToken).ConfigureAwait(false);
        }
    }
}
