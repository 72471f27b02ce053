using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Hospital;
using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Grains.Silver;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Gold.Tests.Support;

/// <summary>
/// A rebuild's input: every record applied in broker order by one thread through <see cref="PatientIntake"/>, the rules
/// the grains apply (as the Pipeline tests' reference does; the ward side is left out, Gold does not read it).
/// </summary>
internal sealed class ReferenceReplay
{
    private readonly PatientFlowDecoder _decoder = new();
    private readonly PatientIntake _intake;

    public ReferenceReplay() =>
        _intake = new PatientIntake(_decoder, new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)), Options.Create(new PatientGrainOptions()));

    public Dictionary<string, PatientState> Patients { get; } = new(StringComparer.Ordinal);

    public ReferenceReplay ApplyAll(IEnumerable<BrokerRecord> records)
    {
        foreach (var record in records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            var patientId = record.Key;
            if (string.IsNullOrEmpty(patientId))
            {
                var decoded = _decoder.Decode(record.Payload, new DateTimeOffset(record.AppendedAtUtc, TimeSpan.Zero));
                if (!decoded.IsAccepted)
                {
                    continue;
                }

                patientId = decoded.Event!.PatientId.Trim();
            }

            if (!Patients.TryGetValue(patientId, out var state))
            {
                state = new PatientState();
                Patients[patientId] = state;
            }

            _intake.Apply(state, patientId, record);
        }

        return this;
    }
}
