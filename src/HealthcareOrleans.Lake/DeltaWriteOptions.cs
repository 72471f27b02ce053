namespace HealthcareOrleans.Lake;

/// <summary>Options of one write (append, overwrite, delete, upsert).</summary>
public sealed class DeltaWriteOptions
{
    /// <summary>
    /// Schema evolution: add columns of the batch that the table lacks as new nullable columns (a metaData update in the
    /// same commit). Off by default: an unknown column is then an error.
    /// </summary>
    public bool MergeSchema { get; init; }

    /// <summary>
    /// Application id of an idempotent writer (e.g. "patient-flow/3" for a Kafka topic partition). With
    /// <see cref="ApplicationVersion"/> it is written as a Delta txn action; a write whose version is not greater than
    /// the table's recorded version for this id is skipped.
    /// </summary>
    public string? ApplicationId { get; init; }

    /// <summary>The monotonically increasing version of this write for <see cref="ApplicationId"/> (e.g. the last Kafka offset).</summary>
    public long? ApplicationVersion { get; init; }

    /// <summary>Upper bound of rows per data file; larger batches are split.</summary>
    public int MaxRowsPerFile { get; init; } = 1_000_000;

    /// <summary>Free-form key/values recorded in commitInfo.operationParameters.</summary>
    public IReadOnlyDictionary<string, string>? CommitParameters { get; init; }

    internal static DeltaWriteOptions Default { get; } = new();

    internal void Validate()
    {
        if ((ApplicationId is null) != (ApplicationVersion is null))
        {
            throw new ArgumentException("Set both ApplicationId and ApplicationVersion for an idempotent write, or neither.");
        }

        if (ApplicationId is not null && string.IsNullOrWhiteSpace(ApplicationId))
        {
            throw new ArgumentException("ApplicationId is blank; use a stable id such as \"topic/partition\".");
        }

        if (ApplicationVersion is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ApplicationVersion), ApplicationVersion, "ApplicationVersion must not be negative.");
        }

        if (MaxRowsPerFile < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRowsPerFile), MaxRowsPerFile, "MaxRowsPerFile must be at least 1.");
        }
    }
}
