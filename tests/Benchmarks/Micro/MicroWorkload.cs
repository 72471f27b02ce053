using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// The simulator messages the decoder and patient benchmarks feed on, picked from the same seeded workload the
/// throughput baseline uses (<see cref="SimulatedEventSet"/>, seed <see cref="BaselineSuite.ThroughputSeed"/>), so a
/// per-event figure here and the baseline's events/s describe the same bytes.
/// </summary>
internal sealed class MicroWorkload
{
    // Enough simulated days that patients admitted early have been transferred and discharged.
    private const int AdtEvents = 20_000;
    private const int FlatRecords = 5_000;

    private MicroWorkload(byte[] adtEvent, byte[] flatRecord, string journeyPatientId, IReadOnlyList<byte[]> journey)
    {
        AdtEvent = adtEvent;
        FlatRecord = flatRecord;
        JourneyPatientId = journeyPatientId;
        Journey = journey;
    }

    /// <summary>
    /// The broker's append time every benchmark passes: now, as in the baseline, so the simulated 2020 events are all
    /// in the past and none is rejected as future-dated.
    /// </summary>
    public static DateTimeOffset AppendedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The first ADMIT of the run: the ADT event with the most fields the rules look at (ward, bed, department, acuity).</summary>
    public byte[] AdtEvent { get; }

    /// <summary>
    /// The first flat admission record that already carries its discharge: the heavier of the format's two row shapes
    /// (it decodes into an ADMIT and a DISCHARGE).
    /// </summary>
    public byte[] FlatRecord { get; }

    public string JourneyPatientId { get; }

    /// <summary>One patient's messages in topic order, exactly ARRIVAL, ADMIT, TRANSFER, DISCHARGE.</summary>
    public IReadOnlyList<byte[]> Journey { get; }

    public static async Task<MicroWorkload> LoadAsync()
    {
        var decoder = new PatientFlowDecoder();
        var adt = await SimulatedEventSet.GenerateAsync(AdtEvents, BaselineSuite.ThroughputSeed);
        var flat = await SimulatedEventSet.GenerateAsync(FlatRecords, BaselineSuite.ThroughputSeed, SimulationFormat.FlatAdmission);

        var admit = adt.Messages.First(m => decoder.Decode(m.Value, AppendedAt).Event?.EventType == PatientFlowEventType.Admit);
        var completedStay = flat.Messages.First(m => decoder.Decode(m.Value, AppendedAt).Events.Count == 2);

        PatientFlowEventType[] wanted = [PatientFlowEventType.Arrival, PatientFlowEventType.Admit, PatientFlowEventType.Transfer, PatientFlowEventType.Discharge];
        var journey = adt.Messages
            .GroupBy(m => m.Key, StringComparer.Ordinal)
            .FirstOrDefault(patient => patient.Select(m => decoder.Decode(m.Value, AppendedAt).Event?.EventType).SequenceEqual(wanted.Cast<PatientFlowEventType?>()))
            ?? throw new InvalidOperationException($"No patient among {adt.Describe()} has exactly ARRIVAL, ADMIT, TRANSFER, DISCHARGE; raise {nameof(AdtEvents)}.");

        return new MicroWorkload(admit.Value, completedStay.Value, journey.Key, journey.Select(m => m.Value).ToArray());
    }
}
