namespace HealthcareOrleans.Lake.Maintenance;

/// <summary>Options of compaction (OPTIMIZE).</summary>
public sealed class OptimizeOptions
{
    /// <summary>Files smaller than this are candidates for compaction.</summary>
    public long SmallFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>A partition is compacted only when it has at least this many small files.</summary>
    public int MinFilesToCompact { get; init; } = 2;

    /// <summary>Upper bound of rows per compacted file.</summary>
    public int MaxRowsPerFile { get; init; } = 1_000_000;

    internal OptimizeOptions Validate()
    {
        if (SmallFileBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SmallFileBytes), SmallFileBytes, "SmallFileBytes must be positive.");
        }

        if (MinFilesToCompact < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MinFilesToCompact), MinFilesToCompact, "MinFilesToCompact must be at least 2; compacting one file changes nothing.");
        }

        if (MaxRowsPerFile < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRowsPerFile), MaxRowsPerFile, "MaxRowsPerFile must be positive.");
        }

        return this;
    }
}

/// <summary>What a compaction did.</summary>
public sealed record OptimizeResult(long Version, bool Committed, int FilesRemoved, int FilesAdded, int PartitionsCompacted);
