using BenchmarkDotNet.Attributes;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// <see cref="PatientIntake.Apply"/>, the grain's pure rules (decode, cleanse, timeline, compaction), over one simulated
/// patient's whole stay: ARRIVAL, ADMIT, TRANSFER, DISCHARGE. One operation is the four records into a new
/// <see cref="PatientState"/>, created inside the operation: reusing a state would turn every record after the first
/// pass into a duplicate, and a per-iteration setup would distort a sub-microsecond figure; the state's own allocation
/// is what a newly activated patient pays too. Divide by four for a per-record figure.
/// </summary>
[MemoryDiagnoser]
public class PatientApplyBenchmarks
{
    private PatientIntake _intake = null!;
    private BrokerRecord[] _journey = [];
    private string _patientId = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var workload = await MicroWorkload.LoadAsync();
        _intake = new PatientIntake(
            new PatientFlowDecoder(),
            new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)),
            Options.Create(new PatientGrainOptions()));
        _patientId = workload.JourneyPatientId;
        _journey = workload.Journey
            .Select((value, i) => new BrokerRecord(PatientFlowStreams.DefaultTopic, 0, i, MicroWorkload.AppendedAt.UtcDateTime, _patientId, value))
            .ToArray();

        // A journey the rules partly reject would measure the quarantine path instead.
        var state = Journey();
        if (state.EventsApplied != _journey.Length || state.EventsRejected != 0)
        {
            throw new InvalidOperationException($"Patient {_patientId}: {state.EventsApplied} applied, {state.EventsRejected} rejected of {_journey.Length}.");
        }
    }

    [Benchmark]
    public PatientState Journey()
    {
        var state = new PatientState();
        foreach (var record in _journey)
        {
            _intake.Apply(state, _patientId, record);
        }

        return state;
    }
}
