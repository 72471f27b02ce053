using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Orleans.Serialization;
using Orleans.Storage;

namespace HealthcareOrleans.Grains.Persistence;

/// <summary>
/// Grain state as one file per grain on local disk, for the embedded profile. A write goes to a temporary file that
/// is renamed over the old one, so a crash leaves either the old or the new state, never half of one. The file
/// starts with a version number that serves as the ETag: a second activation writing stale state is refused.
/// </summary>
/// <remarks>
/// The version on disk is checked against what this process last saw of the file (<see cref="StateFileVersions"/>),
/// read from the file's header only when it has not seen it. That is exact because every operation on a file holds
/// the file's lock and only one process — the embedded profile's one silo — writes the folder: a file changed by
/// hand while its grain is active is not noticed until the grain is next read. The file operations are synchronous:
/// a state is a few hundred bytes to the page cache, cheaper done in place than handed to the thread pool, and the
/// optional fsync blocked a pool thread before too.
/// </remarks>
public sealed class LocalFileGrainStorage : IGrainStorage
{
    private const int HeaderBytes = sizeof(long);

    private static readonly SearchValues<char> SafeFileNameChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>Folder ids shared by every instance in the process, so two instances over one root share versions and locks.</summary>
    private static readonly ConcurrentDictionary<string, int> FolderIds = new(StringComparer.Ordinal);
    private static int s_lastFolderId;

    /// <summary>Patient states are under a kilobyte; larger states get a buffer of their own per write.</summary>
    private const int MaxRetainedWriteBuffer = 16 * 1024;

    /// <summary>Reused per thread: no await separates serializing a state from writing it.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_writeBuffer;

    private readonly LocalFileGrainStorageOptions _options;
    private readonly Serializer _serializer;
    private readonly string _storageRoot;
    private readonly ConcurrentDictionary<(string StateName, GrainType Type), (string Path, int Id)> _folders = new();

    /// <summary>
    /// One temporary name per file and process is enough: this process writes a file only under the file's lock, and
    /// another process's writer (which the embedded profile does not have) would use its own name.
    /// </summary>
    private readonly string _temporarySuffix = "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";

    public LocalFileGrainStorage(string name, LocalFileGrainStorageOptions options, Serializer serializer)
    {
        Name = name;
        _options = options;
        _serializer = serializer;
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            throw new ArgumentException("The grain state folder is empty. Set HC_DATA_DIR or Storage:Directory.", nameof(options));
        }

        // Full, so that two instances given one folder (relative or absolute, not through a symlink) share versions and locks.
        _storageRoot = Path.Combine(Path.GetFullPath(options.RootDirectory), name);
    }

    public string Name { get; }

    /// <summary>
    /// Called with the temporary file's path once it is written and closed, before the rename: the only way a test
    /// can stop a write where a crash would, and check what is left.
    /// </summary>
    internal Action<string>? BeforeRename { get; set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            var file = Locate(stateName, grainId);
            var stripe = StateFileVersions.For(file.Key);
            byte[]? rented;
            int length;
            lock (stripe)
            {
                var written = stripe.TryGet(file.Key, out var known) && known != StateFileVersions.Absent;
                rented = ReadFile(file.Path, written, out length);
                stripe.Record(file.Key, rented is null ? StateFileVersions.Absent : BinaryPrimitives.ReadInt64LittleEndian(rented));
            }

            if (rented is null)
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return Task.CompletedTask;
            }

            try
            {
                var version = BinaryPrimitives.ReadInt64LittleEndian(rented);
                grainState.State = _serializer.Deserialize<T>(new ReadOnlySpan<byte>(rented, HeaderBytes, length - HeaderBytes));
                grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            var file = Locate(stateName, grainId);
            var expected = grainState.ETag is null ? (long?)null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
            var buffer = t_writeBuffer ??= new ArrayBufferWriter<byte>(4096);
            buffer.ResetWrittenCount();
            buffer.GetSpan(HeaderBytes);
            buffer.Advance(HeaderBytes);
            _serializer.Serialize(grainState.State, buffer);

            var stripe = StateFileVersions.For(file.Key);
            long next;
            lock (stripe)
            {
                long? stored;
                if (stripe.TryGet(file.Key, out var known))
                {
                    stored = known == StateFileVersions.Absent ? null : known;
                }
                else
                {
                    stored = StoredVersion(file.Path);
                    stripe.Record(file.Key, stored ?? StateFileVersions.Absent);
                }

                if (stored != expected)
                {
                    throw new InconsistentStateException($"State of {grainId} in '{Name}' changed underneath this activation.", stored?.ToString(CultureInfo.InvariantCulture), grainState.ETag);
                }

                next = (stored ?? 0) + 1;
                BinaryPrimitives.WriteInt64LittleEndian(MemoryMarshal.AsMemory(buffer.WrittenMemory).Span, next);
                try
                {
                    ReplaceFile(file.Path, buffer.WrittenSpan);
                }
                catch
                {
                    // Whether the rename happened is not known for every failure: the next write reads the header.
                    stripe.Forget(file.Key);
                    throw;
                }

                stripe.Record(file.Key, next);
            }

            if (buffer.Capacity > MaxRetainedWriteBuffer)
            {
                // A ward's ledger can be hundreds of kilobytes: kept per pool thread, such buffers outweighed the grains.
                t_writeBuffer = null;
            }

            grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            var file = Locate(stateName, grainId);
            var stripe = StateFileVersions.For(file.Key);
            lock (stripe)
            {
                try
                {
                    File.Delete(file.Path);
                    stripe.Record(file.Key, StateFileVersions.Absent);
                }
                catch (DirectoryNotFoundException)
                {
                    // Never written: its folder was never created, and there is nothing to delete.
                    stripe.Record(file.Key, StateFileVersions.Absent);
                }
                catch
                {
                    stripe.Forget(file.Key);
                    throw;
                }
            }

            grainState.ETag = null;
            grainState.RecordExists = false;
            grainState.State = Activator.CreateInstance<T>();
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>The whole file in a pooled buffer (return it), or null when there is no file.</summary>
    /// <param name="expected">Known to exist: opened without testing first, a file deleted by hand costs an exception.</param>
    private static byte[]? ReadFile(string path, bool expected, out int length)
    {
        length = 0;
        if (!(expected || Exists(path)) || OpenExisting(path) is not { } handle)
        {
            return null;
        }

        using (handle)
        {
            var size = RandomAccess.GetLength(handle);
            if (size < HeaderBytes || size > Array.MaxLength)
            {
                throw Truncated(path, size);
            }

            var rented = ArrayPool<byte>.Shared.Rent((int)size);
            try
            {
                while (length < size && RandomAccess.Read(handle, rented.AsSpan(length, (int)size - length), length) is var read and > 0)
                {
                    length += read;
                }

                return length >= HeaderBytes ? rented : throw Truncated(path, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(rented);
                throw;
            }
        }
    }

    private static long? StoredVersion(string path)
    {
        if (!Exists(path) || OpenExisting(path) is not { } handle)
        {
            return null;
        }

        using (handle)
        {
            Span<byte> header = stackalloc byte[HeaderBytes];
            var read = RandomAccess.Read(handle, header, 0);
            return read == HeaderBytes ? BinaryPrimitives.ReadInt64LittleEndian(header) : throw Truncated(path, read);
        }
    }

    /// <summary>
    /// A missing file is every new grain's first read: tested with one stat, not answered by an exception. Unlike
    /// <see cref="File.Exists"/>, a file that cannot be looked at (a folder this process may not search) throws rather
    /// than passing for a new grain whose first write would replace it.
    /// </summary>
    private static bool Exists(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists)
        {
            return true;
        }

        // Throws the stat's error unless it was "no such file or folder".
        _ = file.Attributes;
        return false;
    }

    /// <summary>Null when the file went between the existence test and the open (deleted by hand, or by another process).</summary>
    private static SafeFileHandle? OpenExisting(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static InvalidDataException Truncated(string path, long length) =>
        new($"Grain state file '{path}' is truncated ({length} bytes). Restore it from backup or delete it to rebuild the grain from the stream.");

    /// <summary>Temporary file, one write, optional fsync, rename over the old file.</summary>
    private void ReplaceFile(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + _temporarySuffix;
        SafeFileHandle handle;
        try
        {
            handle = CreateTemporary(temporary);
        }
        catch (DirectoryNotFoundException)
        {
            // The grain's folder is created by its first write only, not tested before every write.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            handle = CreateTemporary(temporary);
        }
        catch (IOException) when (File.Exists(temporary))
        {
            // Left by a crash of an earlier process with this id: never renamed, so nobody's state.
            File.Delete(temporary);
            handle = CreateTemporary(temporary);
        }

        try
        {
            using (handle)
            {
                RandomAccess.Write(handle, content, 0);
                if (_options.FlushToDisk)
                {
                    RandomAccess.FlushToDisk(handle);
                }
            }

            BeforeRename?.Invoke(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// A new file, not a truncated one: on ext4, truncating to zero makes the close start writing the file back
    /// (auto_da_alloc), which measurably slowed every write; the rename over the old state starts that anyway.
    /// </summary>
    private static SafeFileHandle CreateTemporary(string temporary) =>
        File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind; the next write of this grain from this process deletes it first.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private readonly record struct StateFile(string Path, StateFileKey Key);

    /// <summary>
    /// Keys are patient and ward ids chosen by producers: anything outside a safe alphabet is hashed, and files are
    /// spread over 256 folders so a million patients do not share one directory.
    /// </summary>
    private StateFile Locate(string stateName, GrainId grainId)
    {
        var folder = _folders.GetOrAdd((stateName, grainId.Type), static (k, root) =>
        {
            var path = Path.Combine(root, k.StateName, k.Type.ToString()!);
            return (path, FolderIds.GetOrAdd(path, static _ => Interlocked.Increment(ref s_lastFolderId)));
        }, _storageRoot);

        var key = grainId.Key.ToString();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(key);
        byte[]? rented = null;
        var utf8 = byteCount <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        var fileName = key.Length is > 0 and <= 100 && key[0] != '.' && !key.AsSpan().ContainsAnyExcept(SafeFileNameChars)
            ? key
            : Convert.ToHexStringLower(hash);
        var path = Path.Combine(folder.Path, Convert.ToHexStringLower(hash[..1]), fileName + ".state");
        return new StateFile(path, new StateFileKey(folder.Id, BinaryPrimitives.ReadUInt128LittleEndian(hash)));
    }
}
