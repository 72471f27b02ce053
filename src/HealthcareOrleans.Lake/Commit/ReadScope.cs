namespace HealthcareOrleans.Lake.Commit;

/// <summary>
/// What a transaction read before deciding what to write. A concurrent commit that added data inside this scope
/// conflicts with it (the transaction might have decided differently had it seen that data).
/// </summary>
public sealed class ReadScope
{
    private ReadScope(bool wholeTable, IReadOnlySet<string>? partitions)
    {
        WholeTable = wholeTable;
        Partitions = partitions;
    }

    /// <summary>A blind append reads nothing: concurrent appends never conflict with it.</summary>
    public static ReadScope Nothing { get; } = new(false, null);

    /// <summary>An overwrite or a row rewrite over an unpartitioned table read everything.</summary>
    public static ReadScope Table { get; } = new(true, null);

    public bool WholeTable { get; }

    /// <summary>Partition keys (see <see cref="PartitionKey"/>) read, when the scope is some partitions.</summary>
    public IReadOnlySet<string>? Partitions { get; }

    public static ReadScope OfPartitions(IEnumerable<IReadOnlyDictionary<string, string?>> partitionValues) =>
        new(false, partitionValues.Select(PartitionKey).ToHashSet(StringComparer.Ordinal));

    /// <summary>True when a file with these partition values falls inside the scope.</summary>
    public bool Covers(IReadOnlyDictionary<string, string?> partitionValues) =>
        WholeTable || (Partitions is not null && Partitions.Contains(PartitionKey(partitionValues)));

    /// <summary>A canonical text for a set of partition values (sorted by column, null distinct from "").</summary>
    public static string PartitionKey(IReadOnlyDictionary<string, string?> values) =>
        string.Join('\u0001', values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + (kv.Value is null ? "\u0000" : kv.Value)));
}
