namespace HealthcareOrleans.Lake;

/// <summary>How a <see cref="DeltaTable"/> instance behaves (not stored in the table).</summary>
public sealed class DeltaTableOptions
{
    /// <summary>Clock for commit and deletion timestamps and vacuum cut-offs; tests pass their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many times a commit is re-attempted after losing a race to non-conflicting commits.</summary>
    public int MaxCommitAttempts { get; init; } = 100;

    /// <summary>How many data files are read at once.</summary>
    public int ReadParallelism { get; init; } = 4;

    /// <summary>Written into commitInfo.engineInfo.</summary>
    public string EngineInfo { get; init; } = "HealthcareOrleans.Lake/1.0";

    internal DeltaTableOptions Validate()
    {
        if (MaxCommitAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCommitAttempts), MaxCommitAttempts, "MaxCommitAttempts must be at least 1.");
        }

        if (ReadParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadParallelism), ReadParallelism, "ReadParallelism must be at least 1.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        return this;
    }
}
