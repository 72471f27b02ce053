namespace HealthcareOrleans.Lake.Maintenance;

/// <summary>Options of VACUUM.</summary>
public sealed class VacuumOptions
{
    /// <summary>Keep files needed by any version newer than now minus this; default: the table's delta.deletedFileRetentionDuration (168 h).</summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>
    /// Refuse a retention shorter than the table's deletedFileRetentionDuration, as Delta does: a short retention can
    /// delete files that a running reader or a concurrent writer still needs. Tests turn it off.
    /// </summary>
    public bool EnforceRetentionCheck { get; init; } = true;

    /// <summary>List what would be deleted without deleting.</summary>
    public bool DryRun { get; init; }

    internal void Validate()
    {
        if (Retention is { } r && r < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Retention), r, "The vacuum retention must not be negative.");
        }
    }
}

/// <summary>What a vacuum deleted (or would delete, on a dry run).</summary>
public sealed record VacuumResult(IReadOnlyList<string> DeletedFiles, long DeletedBytes, int FilesKept, bool DryRun);
