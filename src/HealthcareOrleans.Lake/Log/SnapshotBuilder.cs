namespace HealthcareOrleans.Lake.Log;

/// <summary>
/// Log replay (PROTOCOL.md "Action Reconciliation"): the latest protocol and metaData win, the latest txn per appId
/// wins, and for each path the latest add or remove wins, so a file removed and added again is active.
/// </summary>
internal sealed class SnapshotBuilder
{
    /// <summary>The reader version we implement: no column mapping, no deletion vectors, no table features.</summary>
    public const int SupportedReaderVersion = 1;

    private readonly Dictionary<string, AddFile> _files;
    private readonly Dictionary<string, RemoveFile> _tombstones;
    private readonly Dictionary<string, TransactionAction> _transactions;
    private ProtocolAction? _protocol;
    private MetadataAction? _metadata;

    public SnapshotBuilder()
    {
        _files = new Dictionary<string, AddFile>(StringComparer.Ordinal);
        _tombstones = new Dictionary<string, RemoveFile>(StringComparer.Ordinal);
        _transactions = new Dictionary<string, TransactionAction>(StringComparer.Ordinal);
    }

    public SnapshotBuilder(DeltaSnapshot from)
    {
        _files = new Dictionary<string, AddFile>(from.FilesByPath, StringComparer.Ordinal);
        _tombstones = new Dictionary<string, RemoveFile>(from.TombstonesByPath, StringComparer.Ordinal);
        _transactions = new Dictionary<string, TransactionAction>(from.Transactions, StringComparer.Ordinal);
        _protocol = from.Protocol;
        _metadata = from.Metadata;
    }

    public void Apply(IEnumerable<DeltaAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case ProtocolAction protocol:
                    _protocol = protocol;
                    break;
                case MetadataAction metadata:
                    _metadata = metadata;
                    break;
                case AddFile add:
                    _files[add.Path] = add;
                    _tombstones.Remove(add.Path);
                    break;
                case RemoveFile remove:
                    _files.Remove(remove.Path);
                    _tombstones[remove.Path] = remove;
                    break;
                case TransactionAction txn:
                    _transactions[txn.AppId] = txn;
                    break;
                default:
                    break;
            }
        }
    }

    public DeltaSnapshot Build(long version, DateTimeOffset timestamp, string table)
    {
        if (_protocol is null)
        {
            throw new DeltaProtocolException($"Table {table} has no protocol action up to version {version}; the log is damaged.");
        }

        // Reader version 3 means "table features": readable here only when it lists none.
        var featuresOnlyNone = _protocol.MinReaderVersion == 3 && _protocol.ReaderFeatures is { Count: 0 };
        if (_protocol.MinReaderVersion > SupportedReaderVersion && !featuresOnlyNone)
        {
            throw new DeltaProtocolException(
                $"Table {table} needs Delta reader version {_protocol.MinReaderVersion}; this reader supports version {SupportedReaderVersion} only (no column mapping, deletion vectors or reader features{(_protocol.ReaderFeatures is { Count: > 0 } f ? ": table needs " + string.Join(", ", f) : string.Empty)}).");
        }

        if (_metadata is null)
        {
            throw new DeltaProtocolException($"Table {table} has no metaData action up to version {version}; its schema cannot be known.");
        }

        return new DeltaSnapshot(version, timestamp, _protocol, _metadata,
            new Dictionary<string, AddFile>(_files, StringComparer.Ordinal),
            new Dictionary<string, RemoveFile>(_tombstones, StringComparer.Ordinal),
            new Dictionary<string, TransactionAction>(_transactions, StringComparer.Ordinal));
    }
}
