using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake.Commit;

/// <summary>
/// Decides whether a transaction may be re-attempted on top of a commit that won the race for its version
/// (optimistic concurrency, following Delta's conflict rules for serializable writes).
/// </summary>
internal static class ConflictChecker
{
    public static void Check(PendingCommit mine, long winnerVersion, IReadOnlyList<DeltaAction> winner, string table)
    {
        HashSet<string>? myRemoves = null;
        foreach (var action in winner)
        {
            switch (action)
            {
                case ProtocolAction:
                    throw Conflict(table, winnerVersion, "changed the protocol version; re-open the table and retry the write");
                case MetadataAction:
                    // Schema, partitioning or properties changed under us: what we validated may no longer hold.
                    throw Conflict(table, winnerVersion, "changed the table metadata (schema, partitioning or properties); re-open the table and retry the write");
                case TransactionAction txn when mine.Transaction is not null && txn.AppId == mine.Transaction.AppId && txn.Version >= mine.Transaction.Version:
                    throw new TransactionAlreadyCommittedException($"Application '{txn.AppId}' committed version {txn.Version} in table version {winnerVersion}.");
                case TransactionAction txn when mine.Transaction is not null && txn.AppId == mine.Transaction.AppId:
                    throw Conflict(table, winnerVersion, $"committed for the same application id '{txn.AppId}' (version {txn.Version}); two writers must not share an application id");
                case RemoveFile remove:
                    myRemoves ??= mine.Removes.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
                    if (myRemoves.Contains(remove.Path))
                    {
                        throw Conflict(table, winnerVersion, $"already removed the file '{remove.Path}' that this write also removes (concurrent delete, update or compaction)");
                    }

                    if (remove.DataChange && mine.ReadScope.Covers(remove.PartitionValues ?? new Dictionary<string, string?>()))
                    {
                        throw Conflict(table, winnerVersion, $"deleted data ('{remove.Path}') that this write read");
                    }

                    break;
                case AddFile add when add.DataChange && mine.ReadScope.Covers(add.PartitionValues):
                    throw Conflict(table, winnerVersion, $"added data ('{add.Path}') in a part of the table that this write read; retry the operation on the new version");
                default:
                    break;
            }
        }
    }

    private static DeltaConcurrentModificationException Conflict(string table, long version, string what) =>
        new($"Concurrent write to table {table}: version {version} {what}.");
}
