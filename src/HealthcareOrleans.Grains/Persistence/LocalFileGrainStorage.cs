using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Orleans.Serialization;
using Orleans.Storage;

namespace HealthcareOrleans.Grains.Persistence;

/// <summary>
/// Grain state as one file per grain on local disk, for the embedded profile. A write goes to a temporary file that
/// is renamed over the old one, so a crash leaves either the old or the new state, never half of one. The file
/// starts with a version number that serves as the ETag: a second activation writing stale state is refused.
/// </summary>
public sealed class LocalFileGrainStorage(string name, LocalFileGrainStorageOptions options, Serializer serializer) : IGrainStorage
{
    private const int HeaderBytes = sizeof(long);

    public string Name { get; } = name;

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        if (bytes.Length < HeaderBytes)
        {
            throw new InvalidDataException($"Grain state file '{path}' is truncated ({bytes.Length} bytes). Restore it from backup or delete it to rebuild the grain from the stream.");
        }

        var version = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        grainState.State = serializer.Deserialize<T>(new ReadOnlyMemory<byte>(bytes, HeaderBytes, bytes.Length - HeaderBytes));
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var stored = await StoredVersionAsync(path);
        var expected = grainState.ETag is null ? (long?)null : long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
        if (stored != expected)
        {
            throw new InconsistentStateException($"State of {grainId} in '{Name}' changed underneath this activation.", stored?.ToString(System.Globalization.CultureInfo.InvariantCulture), grainState.ETag);
        }

        var next = (stored ?? 0) + 1;
        var payload = serializer.SerializeToArray(grainState.State);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            var header = new byte[HeaderBytes];
            BinaryPrimitives.WriteInt64LittleEndian(header, next);
            await file.WriteAsync(header);
            await file.WriteAsync(payload);
            if (options.FlushToDisk)
            {
                file.Flush(flushToDisk: true);
            }
        }

        File.Move(temporary, path, overwrite: true);
        grainState.ETag = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            File.Delete(PathOf(stateName, grainId));
        }
        catch (DirectoryNotFoundException)
        {
            // Never written: its folder was never created, and there is nothing to delete.
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private static async Task<long?> StoredVersionAsync(string path)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, HeaderBytes, FileOptions.Asynchronous);
            var header = new byte[HeaderBytes];
            await file.ReadExactlyAsync(header);
            return BinaryPrimitives.ReadInt64LittleEndian(header);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Keys are patient and ward ids chosen by producers: anything outside a safe alphabet is hashed, and files are
    /// spread over 256 folders so a million patients do not share one directory.
    /// </summary>
    private string PathOf(string stateName, GrainId grainId)
    {
        var key = grainId.Key.ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var fileName = key.Length <= 100 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && key[0] != '.'
            ? key
            : Convert.ToHexStringLower(hash);
        return Path.Combine(options.RootDirectory, Name, stateName, grainId.Type.ToString()!, Convert.ToHexStringLower(hash.AsSpan(0, 1)), fileName + ".state");
    }
}
