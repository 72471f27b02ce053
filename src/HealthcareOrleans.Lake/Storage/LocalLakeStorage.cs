using System.Buffers;
using System.Runtime.CompilerServices;

namespace HealthcareOrleans.Lake.Storage;

/// <summary>Lake storage on a local (or mounted) file system.</summary>
public sealed class LocalLakeStorage : ILakeStorage
{
    private readonly string _root;

    public LocalLakeStorage(string rootDirectory)
    {
        if (string.IsNullOrWhiteSpace(rootDirectory))
        {
            throw new ArgumentException("The lake root directory is empty. Pass a folder such as ./data/lake.", nameof(rootDirectory));
        }

        _root = Path.GetFullPath(rootDirectory);
    }

    public string Location => _root;

    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default) =>
        await File.ReadAllBytesAsync(ToFullPath(path), cancellationToken).ConfigureAwait(false);

    public async Task<LakeFileContent> ReadPooledAsync(string path, CancellationToken cancellationToken = default)
    {
        using var handle = File.OpenHandle(ToFullPath(path), FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new IOException($"Lake file '{path}' is {length} bytes, more than one read can hold.");
        }

        var array = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            var read = 0;
            while (read < length)
            {
                var n = await RandomAccess.ReadAsync(handle, array.AsMemory(read, (int)length - read), read, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException($"Lake file '{path}' ended at {read} of {length} bytes while it was read (lake files are never changed in place).");
                }

                read += n;
            }

            return LakeFileContent.Rented(array, read);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var target = ToFullPath(path);
        var temp = await WriteTempAsync(target, content, cancellationToken).ConfigureAwait(false);
        // rename(2) replaces atomically: a reader sees the old or the new file, never half of one.
        File.Move(temp, target, overwrite: true);
    }

    public async Task<bool> PutIfAbsentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var target = ToFullPath(path);
        if (File.Exists(target))
        {
            return false;
        }

        var temp = await WriteTempAsync(target, content, cancellationToken).ConfigureAwait(false);
        try
        {
            // Publish the complete file under its final name only if that name is free. File.Move(overwrite: false)
            // checks and renames in two steps on Unix (two racing writers can both "win"), so we use what is atomic:
            // link(2) fails with EEXIST when the name exists; on Windows MoveFileEx without REPLACE_EXISTING.
            return OperatingSystem.IsWindows() ? MoveNoReplace(temp, target) : HardLink.TryCreate(temp, target)
                ?? await CreateNewAsync(target, content, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async IAsyncEnumerable<LakeFileInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var normalized = prefix.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        var directory = slash < 0 ? _root : ToFullPath(normalized[..slash]);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(_root, file).Replace('\\', '/');
            if (!relative.StartsWith(normalized, StringComparison.Ordinal) || IsTempFile(relative))
            {
                continue;
            }

            FileInfo info = new(file);
            if (info.Exists)
            {
                yield return new LakeFileInfo(relative, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
            }
        }
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = ToFullPath(path);
        if (!File.Exists(full))
        {
            return Task.FromResult(false);
        }

        File.Delete(full);
        return Task.FromResult(true);
    }

    public Task<LakeFileInfo?> GetInfoAsync(string path, CancellationToken cancellationToken = default)
    {
        FileInfo info = new(ToFullPath(path));
        return Task.FromResult(info.Exists
            ? new LakeFileInfo(path, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero))
            : null);
    }

    private static bool MoveNoReplace(string temp, string target)
    {
        try
        {
            File.Copy(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    /// <summary>For file systems without hard links: exclusive create, then write (a reader may briefly see a short file).</summary>
    private static async Task<bool> CreateNewAsync(string target, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await using FileStream stream = new(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, Math.Max(4096, content.Length), useAsync: true);
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    private static bool IsTempFile(string relative) => relative.EndsWith(".hc-tmp", StringComparison.Ordinal);

    private static async Task<string> WriteTempAsync(string target, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".hc-tmp");
        await using (FileStream stream = new(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return temp;
    }

    private string ToFullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        if (!full.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The path '{path}' points outside the lake root {_root}.", nameof(path));
        }

        return full;
    }
}
