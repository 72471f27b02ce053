using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Log;

/// <summary>One action of a Delta commit (PROTOCOL.md "Actions"). Unknown action kinds are skipped when reading.</summary>
public abstract record DeltaAction;

/// <summary>"protocol": the minimum reader/writer versions needed to read or write the table.</summary>
/// <remarks>Reader version 3 / writer version 7 tables list their table features; an empty list needs nothing more than version 1/2.</remarks>
public sealed record ProtocolAction(int MinReaderVersion, int MinWriterVersion, IReadOnlyList<string>? ReaderFeatures = null, IReadOnlyList<string>? WriterFeatures = null) : DeltaAction;

/// <summary>"metaData": schema, partition columns and table properties. The latest one wins.</summary>
public sealed record MetadataAction(
    string Id,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string?> Configuration,
    long? CreatedTime,
    string? Name = null,
    string? Description = null) : DeltaAction
{
    // Cached with the text it was parsed from: `with { SchemaString = ... }` copies fields, so a bare cache would go stale.
    private (string Source, DeltaSchema Parsed)? _schema;

    public DeltaSchema Schema
    {
        get
        {
            if (_schema is not { } cached || !ReferenceEquals(cached.Source, SchemaString))
            {
                if (string.IsNullOrEmpty(SchemaString))
                {
                    throw new DeltaProtocolException($"The table's metaData (id {Id}) has no schemaString; its rows cannot be read.");
                }

                cached = (SchemaString, DeltaSchema.Parse(SchemaString));
                _schema = cached;
            }

            return cached.Parsed;
        }
    }
}

/// <summary>"add": a data file that is part of the table from this version on.</summary>
public sealed record AddFile(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    bool DataChange,
    string? Stats = null,
    IReadOnlyDictionary<string, string?>? Tags = null) : DeltaAction
{
    /// <summary>The record count from the stats, when the writer recorded it.</summary>
    public long? NumRecords => FileStatistics.TryReadNumRecords(Stats);

    public RemoveFile ToRemove(long deletionTimestamp, bool dataChange = true) =>
        new(Path, deletionTimestamp, dataChange, ExtendedFileMetadata: true, PartitionValues, Size);
}

/// <summary>"remove": a data file that is no longer part of the table (a tombstone kept for vacuum's retention).</summary>
public sealed record RemoveFile(
    string Path,
    long? DeletionTimestamp,
    bool DataChange,
    bool ExtendedFileMetadata = false,
    IReadOnlyDictionary<string, string?>? PartitionValues = null,
    long? Size = null) : DeltaAction;

/// <summary>"txn": the last version an application committed; the basis of idempotent (exactly-once) writes.</summary>
public sealed record TransactionAction(string AppId, long Version, long? LastUpdated) : DeltaAction;

/// <summary>"commitInfo": provenance of a commit. Free-form by the protocol; we read and write the common fields.</summary>
public sealed record CommitInfo(
    long? Timestamp,
    string? Operation,
    IReadOnlyDictionary<string, string> OperationParameters,
    long? ReadVersion = null,
    bool? IsBlindAppend = null,
    string? EngineInfo = null,
    string? TxnId = null,
    IReadOnlyDictionary<string, string>? OperationMetrics = null) : DeltaAction;
