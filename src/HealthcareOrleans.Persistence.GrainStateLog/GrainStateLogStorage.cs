using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>
/// Orleans grain storage over a <see cref="GrainStateLog"/> (the embedded and single-silo profiles): the version of a
/// grain's latest record is its ETag, so a stale activation's write is refused. The log of storage <c>name</c> is the
/// folder <c>name.log</c> under the root; a folder <c>name</c> of per-grain state files left by an earlier version is
/// imported into it when the log first opens, then renamed aside.
/// </summary>
public sealed class GrainStateLogStorage : IGrainStorage, IDisposable
{
    /// <summary>Reused per thread: no await separates serializing a state from copying it out.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private const int MaxRetainedBuffer = 16 * 1024;

    private readonly Serializer _serializer;
    private readonly Func<GrainStateLog> _open;
    private readonly Lock _opening = new();
    private GrainStateLog? _log;
    private bool _disposed;
    private readonly ConcurrentDictionary<(string StateName, GrainType Type), string> _folders = new();

    public GrainStateLogStorage(string name, GrainStateLogOptions options, Serializer serializer, ILogger<GrainStateLogStorage> logger)
    {
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            throw new ArgumentException("The grain state folder is empty. Set HC_DATA_DIR or Storage:Directory.", nameof(options));
        }

        Name = name;
        _serializer = serializer;
        var root = Path.GetFullPath(options.RootDirectory);
        _open = () => GrainStateLog.Acquire(Path.Combine(root, name + ".log"), options, logger, legacyFolder: Path.Combine(root, name));
    }

    public string Name { get; }

    /// <summary>Grains with a state or a clear in the log, queued ones included (diagnostics and benchmarks).</summary>
    public int StoredStates => Log.Count;

    /// <summary>Writes and clears accepted but not yet on disk.</summary>
    public int QueuedWrites => Log.Queued;

    /// <summary>Opened at first use; a failed open (the folder still locked by a process that is stopping) is tried again at the next.</summary>
    internal GrainStateLog Log
    {
        get
        {
            if (Volatile.Read(ref _log) is { } log)
            {
                return log;
            }

            lock (_opening)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return _log ??= _open();
            }
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            var (version, state) = Log.Read(Locate(stateName, grainId));
            grainState.State = state is null ? Activator.CreateInstance<T>() : _serializer.Deserialize<T>(state);
            grainState.ETag = state is null ? null : version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = state is not null;
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Locate(stateName, grainId);
        var version = await Checked(grainId, grainState.ETag, expected => Log.WriteAsync(key, expected, Serialize(grainState.State)));
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Locate(stateName, grainId);
        await Checked(grainId, grainState.ETag, expected => Log.ClearAsync(key, expected));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    public void Dispose()
    {
        lock (_opening)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _log?.Release();
        }
    }

    private async Task<long> Checked(GrainId grainId, string? etag, Func<long, Task<long>> operation)
    {
        var expected = etag is null ? 0 : long.Parse(etag, CultureInfo.InvariantCulture);
        try
        {
            return await operation(expected);
        }
        catch (StateLogConflictException conflict)
        {
            throw new InconsistentStateException(
                $"State of {grainId} in '{Name}' changed underneath this activation.",
                conflict.StoredVersion == 0 ? null : conflict.StoredVersion.ToString(CultureInfo.InvariantCulture),
                etag);
        }
    }

    private byte[] Serialize<T>(T state)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        _serializer.Serialize(state, buffer);
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxRetainedBuffer)
        {
            // A ward's ledger can be hundreds of kilobytes: kept per pool thread, such buffers outweighed the grains.
            t_buffer = null;
        }

        return bytes;
    }

    private StateLogKey Locate(string stateName, GrainId grainId)
    {
        var folder = _folders.GetOrAdd((stateName, grainId.Type), static k =>
        {
            var name = k.StateName + "/" + k.Type;
            return Encoding.UTF8.GetByteCount(name) <= StateLogRecord.MaxFolderBytes
                ? name
                : throw new ArgumentException($"State name and grain type '{name}' are longer than the {StateLogRecord.MaxFolderBytes} bytes a state log record holds.", nameof(stateName));
        });
        return new StateLogKey(folder, KeyHash(grainId.Key.AsSpan()));
    }

    /// <summary>The first 16 bytes of the SHA-256 of the grain key's UTF-8: as the per-grain files named it, so they import.</summary>
    internal static UInt128 KeyHash(ReadOnlySpan<byte> keyUtf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(keyUtf8, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    internal static UInt128 KeyHash(string key) => KeyHash(Encoding.UTF8.GetBytes(key));
}
