using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Medallion.Bronze;

/// <summary>
/// <c>bronze/patient_flow_raw</c>: every message the broker delivered, exactly as delivered. The payload is Delta
/// <c>binary</c>, not text: a message in the wrong encoding (one of the malformed cases Bronze exists to keep) is not
/// valid UTF-8, and only the bytes themselves let Silver be recomputed with the same decisions. Partitioned by the
/// date it was received, so one day's ingest is one folder. A message over <c>Lake:BronzeMaxPayloadBytes</c> keeps its
/// place (offset, key, times) with an empty payload, its size in <c>payload_size</c> and the reason in
/// <c>payload_dropped</c>: exactly once still holds, and Silver quarantines it as <c>oversize</c> as the grain did.
/// </summary>
public static class BronzeTable
{
    public const string Path = LakeTables.BronzePatientFlowRaw;

    public const string Source = "source";
    public const string Topic = "topic";
    public const string Partition = "partition";
    public const string Offset = "offset";
    public const string Key = "key";
    public const string Payload = "payload";
    public const string PayloadSize = "payload_size";
    public const string PayloadDropped = "payload_dropped";
    public const string BrokerTimestamp = "broker_timestamp";
    public const string ReceivedAt = "received_at";
    public const string IngestDate = "ingest_date";

    public static DeltaSchema Schema { get; } = new(
    [
        DeltaField.String(Source, nullable: false),
        DeltaField.String(Topic, nullable: false),
        DeltaField.Integer(Partition, nullable: false),
        DeltaField.Long(Offset, nullable: false),
        DeltaField.String(Key),
        new DeltaField(Payload, DeltaType.Binary, Nullable: false),
        DeltaField.Timestamp(BrokerTimestamp, nullable: false),
        DeltaField.Timestamp(ReceivedAt, nullable: false),
        DeltaField.Date(IngestDate, nullable: false),
        DeltaField.Integer(PayloadSize),
        DeltaField.String(PayloadDropped),
    ]);

    public static DeltaTableDefinition Definition { get; } = new()
    {
        Schema = Schema,
        PartitionColumns = [IngestDate],
        Name = "patient_flow_raw",
        Description = "Every patient-flow message as the broker delivered it (Bronze).",
        // Bronze is history: only appends; a delete or rewrite would break "exactly once" and Silver's recomputation.
        Properties = new Dictionary<string, string> { [TableProperties.AppendOnly] = "true" },
    };

    /// <summary>The Delta txn appId of a partition's writer: <c>&lt;source&gt;/&lt;topic&gt;/&lt;partition&gt;</c>.</summary>
    public static string ApplicationId(HealthcareOrleans.Streaming.Kafka.Tap.ReceivedPartition partition) => partition.ToString();

    /// <summary>Why a payload was not kept; the only reason there is.</summary>
    public const string DroppedOversize = "oversize";

    public static DeltaBatch ToBatch(string source, IReadOnlyList<BronzeRow> rows, int maxPayloadBytes)
    {
        var n = rows.Count;
        var sources = new string?[n];
        var topics = new string?[n];
        var partitions = new int?[n];
        var offsets = new long?[n];
        var keys = new string?[n];
        var payloads = new byte[]?[n];
        var brokerTimes = new DateTimeOffset?[n];
        var receivedAt = new DateTimeOffset?[n];
        var dates = new DateOnly?[n];
        var sizes = new int?[n];
        var dropped = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            sources[i] = source;
            topics[i] = row.Record.Topic;
            partitions[i] = row.Record.Partition;
            offsets[i] = row.Record.Offset;
            keys[i] = row.Record.Key;
            var payload = row.Record.Payload;
            sizes[i] = row.Record.DroppedPayloadBytes ?? payload.Length;
            if (row.Record.DroppedPayloadBytes is not null || payload.Length > maxPayloadBytes)
            {
                payload = [];
                dropped[i] = DroppedOversize;
            }

            payloads[i] = payload;
            brokerTimes[i] = new DateTimeOffset(DateTime.SpecifyKind(row.Record.AppendedAtUtc, DateTimeKind.Utc));
            receivedAt[i] = row.ReceivedAt;
            dates[i] = DateOnly.FromDateTime(row.ReceivedAt.UtcDateTime);
        }

        return new DeltaBatch(
            DeltaColumn.String(Source, sources),
            DeltaColumn.String(Topic, topics),
            DeltaColumn.Integer(Partition, partitions),
            DeltaColumn.Long(Offset, offsets),
            DeltaColumn.String(Key, keys),
            new DeltaColumn<byte[]?>(Payload, DeltaType.Binary, payloads),
            DeltaColumn.Timestamp(BrokerTimestamp, brokerTimes),
            DeltaColumn.Timestamp(ReceivedAt, receivedAt),
            DeltaColumn.Date(IngestDate, dates),
            DeltaColumn.Integer(PayloadSize, sizes),
            DeltaColumn.String(PayloadDropped, dropped));
    }
}
