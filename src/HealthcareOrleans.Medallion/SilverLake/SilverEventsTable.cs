using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>
/// <c>silver/patient_flow_events</c>: accepted events, typed, cleansed, one row per event_id, partitioned by event date.
/// Unknown event fields are added as nullable string columns <c>x_&lt;field&gt;</c> holding the field's raw JSON.
/// </summary>
public static class SilverEventsTable
{
    public const string Path = LakeTables.SilverPatientFlowEvents;
    public const string EventId = "event_id";
    public const string EventDate = "event_date";
    public const string ExtensionPrefix = "x_";

    /// <summary>json, hl7v2 or fhir-r4; nullable because tables written before the column existed hold JSON events without it.</summary>
    public const string SourceFormat = "source_format";

    /// <summary>The txn appId of the Silver flusher in both Silver tables; its version is the last Bronze version processed.</summary>
    public const string ApplicationId = "silver<-bronze";

    /// <summary>The txn appId whose version is the first Bronze version Silver is derived from, when that is not 1 (a rebuild with a start version).</summary>
    public const string OriginApplicationId = "silver<-bronze:origin";

    public static DeltaSchema Schema { get; } = new(
    [
        DeltaField.String(EventId, nullable: false),
        DeltaField.String("event_type", nullable: false),
        DeltaField.Timestamp("occurred_at", nullable: false),
        DeltaField.Date(EventDate, nullable: false),
        DeltaField.String("hospital_id", nullable: false),
        DeltaField.String("patient_id", nullable: false),
        DeltaField.String("encounter_id"),
        DeltaField.String("ward_id"),
        DeltaField.String("from_ward_id"),
        DeltaField.String("bed_id"),
        DeltaField.String("department"),
        DeltaField.Integer("acuity"),
        DeltaField.String("gender"),
        DeltaField.String("age_band"),
        DeltaField.String("postal_region"),
        DeltaField.String("payer"),
        DeltaField.Integer("schema_version", nullable: false),
        DeltaField.Integer("source_partition", nullable: false),
        DeltaField.Long("source_offset", nullable: false),
        DeltaField.Timestamp("appended_at", nullable: false),
        DeltaField.String(SourceFormat),
    ]);

    public static DeltaTableDefinition Definition { get; } = new()
    {
        Schema = Schema,
        PartitionColumns = [EventDate],
        Name = "patient_flow_events",
        Description = "Patient-flow events, cleansed and deduplicated by event_id (Silver); derived from Bronze only.",
    };
}
