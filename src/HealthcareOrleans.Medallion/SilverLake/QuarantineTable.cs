using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>
/// <c>silver/quarantine</c>: every message part the pipeline refused, with the machine-readable reason (and its code),
/// a human detail, the bytes as received and where they came from. Partitioned by the Bronze ingest date.
/// </summary>
public static class QuarantineTable
{
    public const string Path = LakeTables.SilverQuarantine;
    public const string Reason = "reason";
    public const string ReasonCode = "reason_code";
    public const string IngestDate = "ingest_date";
    public const string SourceId = "source_id";

    public static DeltaSchema Schema { get; } = new(
    [
        new DeltaField("payload", DeltaType.Binary, Nullable: false),
        DeltaField.String(Reason, nullable: false),
        DeltaField.String(ReasonCode, nullable: false),
        DeltaField.String("detail"),
        DeltaField.Timestamp("received_at", nullable: false),
        DeltaField.Date(IngestDate, nullable: false),
        DeltaField.String("source_topic", nullable: false),
        DeltaField.Integer("source_partition", nullable: false),
        DeltaField.Long("source_offset", nullable: false),
        // A flat admission record yields two events: part 0 (admission) and 1 (discharge) can be refused separately.
        DeltaField.Integer("source_part", nullable: false),
        // The log incarnation of the offset (Bronze's source: Kafka:SourceId, fresh per embedded broker start), so rows
        // of two runs with equal partition and offset stay apart. Added later: rows written before read as null.
        DeltaField.String(SourceId),
    ]);

    public static DeltaTableDefinition Definition { get; } = new()
    {
        Schema = Schema,
        PartitionColumns = [IngestDate],
        Name = "quarantine",
        Description = "Messages or message parts refused by decoding or Silver cleansing, with the reason (Silver).",
    };
}
