namespace HealthcareOrleans.Persistence.GrainStateLog;

public sealed class GrainStateLogOptions
{
    /// <summary>The folder grain state lives under, e.g. <c>$HC_DATA_DIR/grains</c>; each storage has its log in a subfolder.</summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>
    /// Flush each group of writes to the disk before the writers are told it is done. Off is safe against a crash of
    /// the process (the page cache survives it) but not of the machine: after a power loss the log may have lost recent
    /// states, or refuse to open until restored or deleted.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Size at which the log starts a new segment file; a sealed segment less than half live is compacted.</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;
}
