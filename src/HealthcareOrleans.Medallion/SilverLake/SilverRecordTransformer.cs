using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Rebuild;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>
/// Bronze records → Silver rows, by the grains' own code: every record goes through <see cref="PatientIntake"/> on
/// a replica of its patient's state (routed like the grains route it: a keyed message to the patient of its key, an
/// unkeyed one to the patient id in its payload), so dedupe, ordering, the compaction horizon and every timeline
/// rule decide here exactly as in the patient grain. What the intake accepted is a Silver event, what it refused a
/// quarantine row. The replicas are built from Bronze alone: Silver is a function of Bronze.
/// </summary>
public sealed class SilverRecordTransformer(PatientFlowDecoder decoder, PatientIntake intake)
{
    private readonly PatientReplay _replay = new(intake, decoder);
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    /// <summary>Every patient's state as the records seen so far leave it (a rebuild writes Gold from these).</summary>
    public IReadOnlyDictionary<string, PatientState> Patients => _replay.Patients;

    /// <summary>Bronze records applied to the replicas since they were last reset.</summary>
    public long Records { get; private set; }

    /// <param name="sourceId">The log incarnation the record's offset belongs to (Bronze's <c>source</c>).</param>
    public void Transform(BrokerRecord record, string sourceId, DateTimeOffset receivedAt, List<SilverEventRow> accepted, List<QuarantineRow> rejected)
    {
        var appendedAt = new DateTimeOffset(DateTime.SpecifyKind(record.AppendedAtUtc, DateTimeKind.Utc));
        var replayed = Apply(record);
        foreach (var refusal in replayed.Outcome.Refusals)
        {
            rejected.Add(new QuarantineRow(record.Payload, refusal.Reason, refusal.Detail, receivedAt, record.Topic, record.Partition, record.Offset, refusal.Part, sourceId));
        }

        foreach (var acceptance in replayed.Outcome.Accepted)
        {
            accepted.Add(new SilverEventRow(acceptance.Event, replayed.PatientId!, acceptance.SchemaVersion, appendedAt, acceptance.SourceFormat));
        }
    }

    /// <summary>Brings the replicas up to a record Silver already holds (after a restart), producing no rows.</summary>
    public void Replay(BrokerRecord record) => Apply(record);

    /// <summary>Lets the replicas touched since the last call drop what they rebuild on demand, between flushes.</summary>
    public void ReleaseDerived()
    {
        foreach (var patientId in _touched)
        {
            _replay.Patients[patientId].Timeline.ReleaseDerived();
        }

        _touched.Clear();
    }

    /// <summary>Forgets every replica (the next flush rebuilds them from Bronze).</summary>
    public void Reset()
    {
        _replay.Patients.Clear();
        _replay.Rejections.Clear();
        _touched.Clear();
        Records = 0;
    }

    private ReplayedRecord Apply(BrokerRecord record)
    {
        Records++;
        var replayed = _replay.Apply(record);
        if (replayed.PatientId is { } patientId)
        {
            _touched.Add(patientId);
        }

        return replayed;
    }
}
