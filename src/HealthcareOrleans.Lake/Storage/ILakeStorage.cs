namespace HealthcareOrleans.Lake.Storage;

/// <summary>
/// The few storage primitives the Delta protocol needs. Paths are relative to the storage root and use '/'.
/// Implementations must make <see cref="PutIfAbsentAsync"/> atomic and exclusive: Delta PROTOCOL.md requires that
/// "the log entry for version N is written atomically and only if it does not already exist" (mutual exclusion).
/// </summary>
public interface ILakeStorage
{
    /// <summary>A human-readable description of where this storage points (folder or container URI).</summary>
    string Location { get; }

    /// <summary>Reads a whole file. Throws <see cref="FileNotFoundException"/> when it does not exist.</summary>
    Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads a whole file as <see cref="ReadAsync"/> does, into a pooled array where the storage can (dispose the
    /// content when done with it). Throws <see cref="FileNotFoundException"/> when it does not exist.
    /// </summary>
    async Task<LakeFileContent> ReadPooledAsync(string path, CancellationToken cancellationToken = default) =>
        LakeFileContent.Of(await ReadAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Writes a whole file, replacing it if it exists. Readers never see a partial file.</summary>
    Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Creates the file only if no file of that name exists. Returns false, writing nothing, when it does.</summary>
    Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Lists every file whose path starts with <paramref name="prefix"/>, recursively, in no particular order.</summary>
    IAsyncEnumerable<LakeFileInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file. Returns false when it did not exist.</summary>
    Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Size and last-modified time of a file, or null when it does not exist.</summary>
    Task<LakeFileInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default);
}
