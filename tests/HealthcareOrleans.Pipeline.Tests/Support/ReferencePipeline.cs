using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Hospital;
using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Grains.Silver;
using HealthcareOrleans.Grains.Wards;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// What the grains must end up holding, computed the simplest way: every record applied in broker order by one
/// thread, with the same Silver rules. The distributed engine (partitions on two silos, persistence, failover,
/// redelivery) has to arrive at exactly this.
/// </summary>
public sealed class ReferencePipeline
{
    private readonly PatientFlowDecoder _decoder = new();
    private readonly HospitalDirectory _directory = new(HospitalLayout.Default);
    private readonly PatientIntake _intake;

    public ReferencePipeline() =>
        _intake = new PatientIntake(_decoder, new SilverCleansing(_directory), Options.Create(new PatientGrainOptions()));

    public Dictionary<string, PatientState> Patients { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WardLedger> Wards { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Rejections { get; } = new(StringComparer.Ordinal);

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

    private void CountRejection(string reason) => Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;

    private void Apply(BrokerRecord record)
    {
        var patientId = record.Key;
        if (string.IsNullOrEmpty(patientId))
        {
            var decoded = _decoder.Decode(record.Payload, new DateTimeOffset(record.AppendedAtUtc, TimeSpan.Zero));
            if (!decoded.IsAccepted)
            {
                CountRejection(decoded.RejectionReason!);
                return;
            }

            patientId = decoded.Event!.PatientId.Trim();
        }

        if (!Patients.TryGetValue(patientId, out var state))
        {
            state = new PatientState();
            Patients[patientId] = state;
        }

        var outcome = _intake.Apply(state, patientId, record);
        foreach (var reason in outcome.Rejections)
        {
            CountRejection(reason);
        }

        if (!outcome.Changed || WardSync.Plan(patientId, state.Timeline.Project(patientId), state.SentFacts, state.SentPlacement) is not { } plan)
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
