using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Patients;

namespace HealthcareOrleans.PatientFlow.Rebuild;

/// <summary>
/// Broker records applied to patient states by one thread, exactly as the grains apply them: records must come in
/// partition-offset order (a patient's records share one partition), keyed ones go to their key, unkeyed ones to
/// the patient id in their payload as <c>UnkeyedMessageGrain</c> routes them. Rebuilds and tests use it to
/// get what the distributed engine must arrive at.
/// </summary>
public sealed class PatientReplay(PatientIntake intake, PatientFlowDecoder decoder)
{
    public Dictionary<string, PatientState> Patients { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Rejections { get; } = new(StringComparer.Ordinal);

    /// <summary>Applies one record; a record that names no patient it could be routed to is refused as a whole.</summary>
    public ReplayedRecord Apply(BrokerRecord record)
    {
        var patientId = record.Key;
        if (string.IsNullOrEmpty(patientId))
        {
            var decoded = decoder.Decode(record);
            if (!decoded.IsAccepted)
            {
                CountRejection(decoded.RejectionReason!);
                return new ReplayedRecord(null, null, IntakeOutcome.Refused(new IntakeRefusal(decoded.RejectionReason!, decoded.Detail, 0)));
            }

            patientId = PatientRoute.PatientIdOf(decoded);
        }

        if (!Patients.TryGetValue(patientId, out var state))
        {
            state = new PatientState();
            Patients[patientId] = state;
        }

        var outcome = intake.Apply(state, patientId, record);
        foreach (var refusal in outcome.Refusals)
        {
            CountRejection(refusal.Reason);
        }

        return new ReplayedRecord(patientId, state, outcome);
    }

    private void CountRejection(string reason) => Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;
}

/// <param name="PatientId">The patient the record was applied to; null when it could not be routed to one.</param>
public readonly record struct ReplayedRecord(string? PatientId, PatientState? State, IntakeOutcome Outcome);
