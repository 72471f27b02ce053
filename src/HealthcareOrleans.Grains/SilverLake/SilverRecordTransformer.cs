using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Silver;

namespace HealthcareOrleans.Grains.SilverLake;

/// <summary>
/// One Bronze record → Silver rows, with exactly the grains' rules: the same decoder (judging future times against
/// the broker's append time, as the grains do), the same cleansing, and the same routing — a keyed message belongs to
/// the patient of its key, an unkeyed one to the patient id in its payload (as <c>UnkeyedMessageGrain</c> routes it).
/// Pure: Silver is a function of Bronze.
/// </summary>
public sealed class SilverRecordTransformer(PatientFlowDecoder decoder, SilverCleansing cleansing)
{
    public void Transform(BrokerRecord record, DateTimeOffset receivedAt, List<SilverEventRow> accepted, List<QuarantineRow> rejected)
    {
        var appendedAt = new DateTimeOffset(DateTime.SpecifyKind(record.AppendedAtUtc, DateTimeKind.Utc));
        var decoded = decoder.Decode(record.Payload, appendedAt);
        if (!decoded.IsAccepted)
        {
            rejected.Add(new QuarantineRow(record.Payload, decoded.RejectionReason!, decoded.Detail, receivedAt, record.Topic, record.Partition, record.Offset, 0));
            return;
        }

        var patientKey = record.Key ?? decoded.Event!.PatientId.Trim();
        var events = decoded.Events;
        for (var part = 0; part < events.Count; part++)
        {
            Place(record, receivedAt, appendedAt, patientKey, events[part], part, accepted, rejected);
        }
    }

    private void Place(
        BrokerRecord record, DateTimeOffset receivedAt, DateTimeOffset appendedAt, string patientKey, PatientFlowEvent evt, int part,
        List<SilverEventRow> accepted, List<QuarantineRow> rejected)
    {
        var cleansed = cleansing.Cleanse(evt, patientKey, new BrokerPosition(record.Partition, record.Offset, part));
        if (cleansed.Event is null)
        {
            rejected.Add(new QuarantineRow(record.Payload, cleansed.RejectionReason!, cleansed.Detail, receivedAt, record.Topic, record.Partition, record.Offset, part));
            return;
        }

        accepted.Add(new SilverEventRow(cleansed.Event, patientKey, evt.SchemaVersion, appendedAt, evt.SourceFormat));
    }
}
