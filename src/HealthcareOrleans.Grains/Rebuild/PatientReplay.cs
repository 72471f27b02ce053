using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Patients;

namespace HealthcareOrleans.Grains.Rebuild;

/// <summary>
/// Broker records applied to patient states by one thread, exactly as the grains apply them: records must come in
/// partition-offset order (a patient's records share one partition), keyed ones go to their key, unkeyed ones to
/// the patient id in their payload as <see cref="UnkeyedMessageGrain"/> routes them. Rebuilds and tests use it to
/// get what the distributed engine must arrive at.
/// </summary>
public sealed class PatientReplay(PatientIntake intake, PatientFlowDecoder decoder)
{
    public Dictionary<string, PatientState> Patients { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Rejections { get; } = new(StringComparer.Ordinal);

    /// <returns>The patient the record was applied to and what it did; null when it could not be routed to one.</returns>
    public (string PatientId, PatientState State, IntakeOutcome Outcome)? Apply(BrokerRecord record)
    {
        var patientId = record.Key;
        if (string.IsNullOrEmpty(patientId))
        {
            var decoded = decoder.Decode(record.Payload, new DateTimeOffset(record.AppendedAtUtc, TimeSpan.Zero));
            if (!decoded.IsAccepted)
            {
                CountRejection(decoded.RejectionReason!);
                return null;
            }

            patientId = decoded.Event!.PatientId.Trim();
        }

        if (!Patients.TryGetValue(patientId, out var state))
        {
            state = new PatientState();
            Patients[patientId] = state;
        }

        var outcome = intake.Apply(state, patientId, record);
        foreach (var reason in outcome.Rejections)
        {
            CountRejection(reason);
        }

        return (patientId, state, outcome);
    }

    private void CountRejection(string reason) => Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;
}
