using System.Diagnostics;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Telemetry;

namespace HealthcareOrleans.Grains.Telemetry;

/// <summary>
/// The spans of the live pipeline (source <see cref="SourceName"/>): one per broker record applied by a patient grain,
/// and one per update applied by a ward grain. The ward span joins the patient's trace through Orleans' activity
/// propagation on the grain call. Patients appear only as <see cref="PatientPseudonyms"/> pseudonyms.
/// </summary>
public static class PipelineActivities
{
    public const string SourceName = "HealthcareOrleans.Pipeline";

    public const string PartitionDeliver = "hc.partition.deliver";
    public const string PatientApply = "hc.patient.apply";
    public const string WardApply = "hc.ward.apply";

    /// <summary>The span tag that identifies a patient: always a pseudonym.</summary>
    public const string PatientTag = "hc.patient";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts the root span of one partition read's trace: its patient and ward spans hang below it through Orleans'
    /// grain-call spans. It is a root on purpose: the stream hop from the receiver carries no trace context (see
    /// docs/TELEMETRY.md), so the broker positions stand in for it.
    /// </summary>
    public static Activity? StartPartitionDelivery(BrokerRecordBatch batch)
    {
        var activity = Source.StartActivity(PartitionDeliver, ActivityKind.Consumer);
        if (activity is { IsAllDataRequested: true })
        {
            var records = batch.Records;
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.destination.name", records[0].Topic);
            activity.SetTag("messaging.destination.partition.id", records[0].Partition);
            activity.SetTag("messaging.batch.message_count", records.Length);
            activity.SetTag("hc.offset.first", records[0].Offset);
            activity.SetTag("hc.offset.last", records[^1].Offset);
        }

        return activity;
    }

    /// <summary>One record applied to its patient: the broker position and append time say which.</summary>
    public static Activity? StartPatientApply(BrokerRecord record, string patientId, PatientPseudonyms? pseudonyms)
    {
        var activity = Source.StartActivity(PatientApply, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.destination.name", record.Topic);
            activity.SetTag("messaging.destination.partition.id", record.Partition);
            activity.SetTag("messaging.kafka.offset", record.Offset);
            activity.SetTag("hc.broker.appended_at", record.AppendedAtUtc);
            if (pseudonyms is not null)
            {
                activity.SetTag(PatientTag, pseudonyms.Of(patientId));
            }
        }

        return activity;
    }

    /// <summary>What the record did, on the span <see cref="StartPatientApply"/> returned.</summary>
    public static void RecordOutcome(Activity? activity, bool changed, int duplicates, IReadOnlyList<string> rejections)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag("hc.outcome", changed ? "applied" : rejections.Count > 0 ? "rejected" : duplicates > 0 ? "duplicate" : "unchanged");
        if (rejections.Count > 0)
        {
            // Reason codes only (missing_field:patient_id names a field, never a value).
            activity.SetTag("hc.rejection.reasons", string.Join(',', rejections));
        }
    }

    public static Activity? StartWardApply(string wardId, WardUpdate update)
    {
        var activity = Source.StartActivity(WardApply, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("hc.ward", wardId);
            activity.SetTag("hc.ward.presence", update.Presence.ToString());
            activity.SetTag("hc.ward.facts", update.Facts.Count);
        }

        return activity;
    }
}
