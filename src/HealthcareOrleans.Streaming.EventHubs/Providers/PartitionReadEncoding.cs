using System.Buffers.Binary;
using System.Text;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// The bytes of one <see cref="PartitionRead"/> inside the cache's segment: a count, then per record its sequence
/// number, enqueued time (UTC ticks), partition key, dropped size and payload. Topic and partition are the stream's,
/// so they are not repeated.
/// </summary>
internal static class PartitionReadEncoding
{
    private const int FixedPerRecord = 8 + 8 + 4 + 4 + 4;

    public static int EncodedSize(BrokerRecord record) =>
        FixedPerRecord + (record.Key is null ? 0 : Encoding.UTF8.GetByteCount(record.Key)) + record.Payload.Length;

    public static int EncodedSize(BrokerRecord[] records)
    {
        var size = 4;
        foreach (var record in records)
        {
            size += EncodedSize(record);
        }

        return size;
    }

    public static void Write(BrokerRecord[] records, Span<byte> target)
    {
        BinaryPrimitives.WriteInt32LittleEndian(target, records.Length);
        var at = 4;
        foreach (var record in records)
        {
            BinaryPrimitives.WriteInt64LittleEndian(target[at..], record.Offset);
            BinaryPrimitives.WriteInt64LittleEndian(target[(at + 8)..], record.AppendedAtUtc.Ticks);
            at += 16;
            if (record.Key is null)
            {
                BinaryPrimitives.WriteInt32LittleEndian(target[at..], -1);
                at += 4;
            }
            else
            {
                var written = Encoding.UTF8.GetBytes(record.Key, target[(at + 4)..]);
                BinaryPrimitives.WriteInt32LittleEndian(target[at..], written);
                at += 4 + written;
            }

            BinaryPrimitives.WriteInt32LittleEndian(target[at..], record.DroppedPayloadBytes ?? -1);
            BinaryPrimitives.WriteInt32LittleEndian(target[(at + 4)..], record.Payload.Length);
            at += 8;
            record.Payload.CopyTo(target[at..]);
            at += record.Payload.Length;
        }
    }

    public static BrokerRecord[] Read(ReadOnlySpan<byte> source, string topic, int partition)
    {
        var records = new BrokerRecord[BinaryPrimitives.ReadInt32LittleEndian(source)];
        var at = 4;
        for (var i = 0; i < records.Length; i++)
        {
            var sequenceNumber = BinaryPrimitives.ReadInt64LittleEndian(source[at..]);
            var enqueued = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(source[(at + 8)..]), DateTimeKind.Utc);
            at += 16;
            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(source[at..]);
            at += 4;
            string? key = null;
            if (keyLength >= 0)
            {
                key = Encoding.UTF8.GetString(source.Slice(at, keyLength));
                at += keyLength;
            }

            var dropped = BinaryPrimitives.ReadInt32LittleEndian(source[at..]);
            var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(source[(at + 4)..]);
            at += 8;
            var payload = source.Slice(at, payloadLength).ToArray();
            at += payloadLength;
            records[i] = new BrokerRecord(topic, partition, sequenceNumber, enqueued, key, payload, dropped < 0 ? null : dropped);
        }

        return records;
    }
}
