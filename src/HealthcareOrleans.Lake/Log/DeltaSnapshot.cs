using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Log;

/// <summary>
/// The state of a table at one version: protocol, metadata, the active data files, the tombstones still inside the
/// retention window, and the last version committed per application id (txn). Immutable.
/// </summary>
public sealed class DeltaSnapshot
{
    internal DeltaSnapshot(
        long version,
        DateTimeOffset timestamp,
        ProtocolAction protocol,
        MetadataAction metadata,
        IReadOnlyDictionary<string, AddFile> files,
        IReadOnlyDictionary<string, RemoveFile> tombstones,
        IReadOnlyDictionary<string, TransactionAction> transactions)
    {
        Version = version;
        Timestamp = timestamp;
        Protocol = protocol;
        Metadata = metadata;
        FilesByPath = files;
        TombstonesByPath = tombstones;
        Transactions = transactions;
    }

    public long Version { get; }

    /// <summary>The commit timestamp of <see cref="Version"/> (the commit file's modification time, as Delta defines it).</summary>
    public DateTimeOffset Timestamp { get; }

    public ProtocolAction Protocol { get; }

    public MetadataAction Metadata { get; }

    public DeltaSchema Schema => Metadata.Schema;

    public IReadOnlyList<string> PartitionColumns => Metadata.PartitionColumns;

    public IReadOnlyCollection<AddFile> ActiveFiles => (IReadOnlyCollection<AddFile>)FilesByPath.Values;

    public IReadOnlyCollection<RemoveFile> Tombstones => (IReadOnlyCollection<RemoveFile>)TombstonesByPath.Values;

    /// <summary>Latest txn action per appId.</summary>
    public IReadOnlyDictionary<string, TransactionAction> Transactions { get; }

    /// <summary>The sum of numRecords over the active files, when every file carries stats.</summary>
    public long? RowCount => ActiveFiles.All(f => f.NumRecords is not null) ? ActiveFiles.Sum(f => f.NumRecords!.Value) : null;

    internal IReadOnlyDictionary<string, AddFile> FilesByPath { get; }

    internal IReadOnlyDictionary<string, RemoveFile> TombstonesByPath { get; }

    /// <summary>
    /// The last version committed by <paramref name="appId"/>, or null if it never committed. A streaming writer
    /// compares this with the batch it is about to write and skips a batch it already wrote (exactly-once).
    /// </summary>
    public long? GetTransactionVersion(string appId) =>
        Transactions.TryGetValue(appId, out var txn) ? txn.Version : null;

    /// <summary>A table property from metaData.configuration, or null.</summary>
    public string? GetProperty(string key) =>
        Metadata.Configuration.TryGetValue(key, out var value) ? value : null;
}
