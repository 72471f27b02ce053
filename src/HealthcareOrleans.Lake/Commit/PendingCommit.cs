using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake.Commit;

/// <summary>The actions a transaction wants to commit, with what it read to decide them.</summary>
internal sealed class PendingCommit
{
    public required string Operation { get; init; }

    public required IReadOnlyDictionary<string, string> OperationParameters { get; init; }

    public required long ReadVersion { get; init; }

    public ReadScope ReadScope { get; init; } = ReadScope.Nothing;

    public MetadataAction? Metadata { get; init; }

    public ProtocolAction? Protocol { get; init; }

    public TransactionAction? Transaction { get; init; }

    public IReadOnlyList<AddFile> Adds { get; init; } = [];

    public IReadOnlyList<RemoveFile> Removes { get; init; } = [];

    public IReadOnlyDictionary<string, string>? OperationMetrics { get; init; }

    /// <summary>Only adds, no removes, nothing read: Delta's "blind append".</summary>
    public bool IsBlindAppend => Removes.Count == 0 && !ReadScope.WholeTable && ReadScope.Partitions is null && Metadata is null;

    public bool IsEmpty => Adds.Count == 0 && Removes.Count == 0 && Metadata is null && Protocol is null && Transaction is null;

    /// <summary>The actions in log order: commitInfo first (as Spark writes it), then protocol, metaData, txn, files.</summary>
    public List<DeltaAction> ToActions(long readVersion, long timestampMs, string engineInfo, string txnId)
    {
        List<DeltaAction> actions =
        [
            new CommitInfo(timestampMs, Operation, OperationParameters, readVersion < 0 ? null : readVersion, IsBlindAppend, engineInfo, txnId, OperationMetrics),
        ];
        if (Protocol is not null)
        {
            actions.Add(Protocol);
        }

        if (Metadata is not null)
        {
            actions.Add(Metadata);
        }

        if (Transaction is not null)
        {
            actions.Add(Transaction);
        }

        actions.AddRange(Removes);
        actions.AddRange(Adds);
        return actions;
    }
}
