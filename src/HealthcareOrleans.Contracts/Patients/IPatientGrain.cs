using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using Orleans.Concurrency;

namespace HealthcareOrleans.Contracts.Patients;

/// <summary>One patient, keyed by patient id: consumes the patient's events and holds their live Silver state.</summary>
public interface IPatientGrain : IGrainWithStringKey
{
    /// <summary>Null when no event for this patient was ever accepted.</summary>
    [AlwaysInterleave]
    Task<PatientView?> GetAsync();

    /// <summary>Applies one broker record: the path for messages that reached the patient other than through its own stream.</summary>
    Task ReceiveAsync(BrokerRecord record);

    /// <summary>
    /// What ward <paramref name="wardId"/> should hold for this patient now (presence, bed, since), or
    /// <see cref="WardPresence.Absent"/>: wards ask their occupants from time to time and drop those that have left.
    /// </summary>
    [AlwaysInterleave]
    Task<WardUpdate> GetWardPlacementAsync(string wardId);
}
