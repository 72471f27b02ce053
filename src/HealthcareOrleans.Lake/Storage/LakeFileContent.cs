using System.Buffers;

namespace HealthcareOrleans.Lake.Storage;

/// <summary>
/// A whole file's bytes, in an array of the shared pool when the storage could rent one: data files are read whole and
/// decoded at once, and a fresh array per file (megabytes, so on the large-object heap) was an eighth of the bytes the
/// silo allocated while flushes re-read Bronze (docs/BENCHMARKS.md). Dispose gives the array back; nothing read from it
/// may keep referring to it.
/// </summary>
public sealed class LakeFileContent : IDisposable
{
    private byte[]? _array;
    private readonly bool _rented;

    private LakeFileContent(byte[] array, int length, bool rented)
    {
        _array = array;
        Length = length;
        _rented = rented;
    }

    public int Length { get; }

    /// <summary>The file's bytes: the first <see cref="Length"/> bytes of the array.</summary>
    public ArraySegment<byte> Bytes => new(_array ?? throw new ObjectDisposedException(nameof(LakeFileContent)), 0, Length);

    /// <summary>Content in an array of its own (nothing to give back).</summary>
    public static LakeFileContent Of(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new LakeFileContent(content, content.Length, rented: false);
    }

    /// <summary>Content in <paramref name="array"/>, rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose.</summary>
    public static LakeFileContent Rented(byte[] array, int length)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, array.Length);
        return new LakeFileContent(array, length, rented: true);
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null && _rented)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
