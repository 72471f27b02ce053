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

    /// <summary>
    /// Applies this patient's records of one partition read, in offset order, and returns the ward updates they caused
    /// for the caller to deliver with those of the other patients of the read (one call per ward), and to acknowledge
    /// on the returned object with the wards' receipts. They are already recorded as sent: before it saves, the patient
    /// confirms them with each ward whose receipts do not show them stored, so an update the caller fails to deliver
    /// only delays the live census.
    /// </summary>
    Task<WardDeltas> ApplyBatchAsync(BrokerRecordBatch records);

    /// <summary>Applies one broker record and tells the wards itself: the path for a record handed over again after a silo loss.</summary>
    Task ReceiveAsync(BrokerRecord record);

    /// <summary>
    /// What ward <paramref name="wardId"/> should hold for this patient now (presence, bed, since), or
    /// <see cref="WardPresence.Absent"/>: wards ask their occupants from time to time and drop those that have left.
    /// </summary>
    [AlwaysInterleave]
    Task<WardUpdate> GetWardPlacementAsync(string wardId);
}
