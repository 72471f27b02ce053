using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.PatientFlow.Patients;

/// <summary>
/// Which patient a record belongs to, decided one way everywhere: a keyed record belongs to its key (producers key
/// by patient id), an unkeyed one to the patient id its payload names.
/// </summary>
public static class PatientRoute
{
    /// <summary>The patient of a record that <paramref name="decoded"/> accepted.</summary>
    public static string PatientIdOf(BrokerRecord record, DecodeResult decoded)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.IsNullOrEmpty(record.Key) ? PatientIdOf(decoded) : record.Key;
    }

    /// <summary>The patient an accepted payload names: its patient id without surrounding blanks.</summary>
    public static string PatientIdOf(DecodeResult decoded) =>
        decoded.Event?.PatientId.Trim() ?? throw new ArgumentException("Only an accepted payload names a patient.", nameof(decoded));
}
