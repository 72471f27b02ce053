namespace HealthcareOrleans.Lake;

/// <summary>One version of a table as <see cref="DeltaTable.HistoryAsync"/> reports it (from the version's commitInfo).</summary>
public sealed record DeltaHistoryEntry(
    long Version,
    DateTimeOffset Timestamp,
    string? Operation,
    IReadOnlyDictionary<string, string> OperationParameters,
    IReadOnlyDictionary<string, string> OperationMetrics,
    long? ReadVersion,
    bool? IsBlindAppend,
    string? EngineInfo,
    int AddedFiles,
    int RemovedFiles,
    IReadOnlyDictionary<string, long> ApplicationVersions);
