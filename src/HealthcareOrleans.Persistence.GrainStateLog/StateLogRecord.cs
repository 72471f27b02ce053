using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>Which grain a state belongs to: its folder (state name and grain type) and the first 16 bytes of the SHA-256 of its key.</summary>
internal readonly record struct StateLogKey(string Folder, UInt128 Hash);

internal enum StateLogRecordKind : byte
{
    State = 1,
    Cleared = 2,
}

/// <summary>
/// One record of the state log, little-endian: length of what follows (4 bytes), CRC-32 of what follows the CRC (4),
/// kind (1), folder length (1) and folder (UTF-8), key hash (16), version (8), then the serialized state. The CRC is
/// what tells a torn last write, or a damaged disk block, from a state.
/// </summary>
internal static class StateLogRecord
{
    public const int PrefixBytes = sizeof(uint) + sizeof(uint);
    public const int MaxFolderBytes = byte.MaxValue;

    public static int Size(StateLogKey key, int payloadLength) =>
        PrefixBytes + 1 + 1 + Encoding.UTF8.GetByteCount(key.Folder) + 16 + sizeof(long) + payloadLength;

    public static int Write(Span<byte> destination, StateLogRecordKind kind, StateLogKey key, long version, ReadOnlySpan<byte> payload)
    {
        var body = destination[PrefixBytes..];
        body[0] = (byte)kind;
        var folderLength = Encoding.UTF8.GetBytes(key.Folder, body[2..]);
        if (folderLength > MaxFolderBytes)
        {
            throw new ArgumentException($"State folder '{key.Folder}' is longer than {MaxFolderBytes} bytes.", nameof(key));
        }

        body[1] = (byte)folderLength;
        var at = 2 + folderLength;
        BinaryPrimitives.WriteUInt128LittleEndian(body[at..], key.Hash);
        at += 16;
        BinaryPrimitives.WriteInt64LittleEndian(body[at..], version);
        at += sizeof(long);
        payload.CopyTo(body[at..]);
        at += payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(at + sizeof(uint)));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[sizeof(uint)..], Crc32.HashToUInt32(body[..at]));
        return PrefixBytes + at;
    }

    /// <summary>The length field of a record starting at <paramref name="prefix"/>: the bytes that follow it.</summary>
    public static int FollowingLength(ReadOnlySpan<byte> prefix) => (int)BinaryPrimitives.ReadUInt32LittleEndian(prefix);

    /// <summary>Parses a whole record (prefix included); false if it is torn or damaged. The folder comes as UTF-8, for the caller to intern.</summary>
    public static bool TryRead(ReadOnlySpan<byte> record, out StateLogRecordKind kind, out ReadOnlySpan<byte> folder, out UInt128 hash, out long version, out ReadOnlySpan<byte> payload)
    {
        kind = default;
        folder = default;
        hash = default;
        version = 0;
        payload = default;
        if (record.Length < PrefixBytes + 2 + 16 + sizeof(long) || FollowingLength(record) != record.Length - sizeof(uint))
        {
            return false;
        }

        var body = record[PrefixBytes..];
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(record[sizeof(uint)..]))
        {
            return false;
        }

        kind = (StateLogRecordKind)body[0];
        var folderLength = body[1];
        if (kind is not (StateLogRecordKind.State or StateLogRecordKind.Cleared) || body.Length < 2 + folderLength + 16 + sizeof(long))
        {
            return false;
        }

        var at = 2 + folderLength;
        folder = body.Slice(2, folderLength);
        hash = BinaryPrimitives.ReadUInt128LittleEndian(body[at..]);
        at += 16;
        version = BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
        payload = body[(at + sizeof(long))..];
        return true;
    }
}
