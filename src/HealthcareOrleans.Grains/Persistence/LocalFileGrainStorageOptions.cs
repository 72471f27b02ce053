namespace HealthcareOrleans.Grains.Persistence;

public sealed class LocalFileGrainStorageOptions
{
    /// <summary>The folder grain state lives under, e.g. <c>$HC_DATA_DIR/grains</c>.</summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>Flush each write to the disk before renaming it into place; off trades crash safety of the last writes for speed.</summary>
    public bool FlushToDisk { get; set; } = true;
}
