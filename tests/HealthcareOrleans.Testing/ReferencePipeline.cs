using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Rebuild;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.PatientFlow.Wards;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Testing;

/// <summary>
/// What the grains must end up holding, computed the simplest way: every record applied in broker order by one
/// thread (<see cref="PatientReplay"/>, the same rules), and the wards fed the differences the patient grains send.
/// The distributed engine (partitions on two silos, persistence, failover, redelivery) has to arrive at exactly this.
/// </summary>
public sealed class ReferencePipeline
{
    private readonly PatientReplay _replay;

    public ReferencePipeline()
    {
        var decoder = new PatientFlowDecoder();
        var intake = new PatientIntake(decoder, new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)), Options.Create(new PatientGrainOptions()));
        _replay = new PatientReplay(intake, decoder);
    }

    public Dictionary<string, PatientState> Patients => _replay.Patients;

    public Dictionary<string, long> Rejections => _replay.Rejections;

    public Dictionary<string, WardLedger> Wards { get; } = new(StringComparer.Ordinal);

    /// <summary>A reference with every record applied.</summary>
    public static ReferencePipeline Replay(IEnumerable<BrokerRecord> records)
    {
        var reference = new ReferencePipeline();
        reference.ApplyAll(records);
        return reference;
    }

    public void ApplyAll(IEnumerable<BrokerRecord> records)
    {
        foreach (var record in records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            Apply(record);
        }
    }

    public PatientView ViewOf(string patientId) => Patients[patientId].ToView(patientId);

    public WardCensus CensusOf(WardDefinition ward, string hospitalId) =>
        (Wards.TryGetValue(ward.WardId, out var ledger) ? ledger : new WardLedger()).ToCensus(ward, hospitalId, includeOccupants: true);

    private void Apply(BrokerRecord record)
    {
        if (_replay.Apply(record) is not { Outcome.Changed: true, PatientId: { } patientId, State: { } state }
            || WardSync.Plan(patientId, state.Timeline.Project(patientId), state.SentFacts, state.SentPlacement) is not { } plan)
        {
            return;
        }

        foreach (var (wardId, update) in plan.Updates)
        {
            if (!Wards.TryGetValue(wardId, out var ledger))
            {
                ledger = new WardLedger();
                Wards[wardId] = ledger;
            }

            ledger.Apply(update);
        }

        state.SentFacts = plan.SentFacts;
        state.SentPlacement = plan.Placement;
    }
}
