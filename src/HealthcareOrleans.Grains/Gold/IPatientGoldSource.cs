using HealthcareOrleans.PatientFlow.Gold;
using Orleans.Concurrency;

namespace HealthcareOrleans.Grains.Gold;

/// <summary>
/// The patient grain's Gold face, implemented by <c>PatientGrain</c> beside <c>IPatientGrain</c>. It lives with the
/// grains, not in Contracts: only the silo-side Gold flush calls it, and clients never see lake row shapes.
/// </summary>
public interface IPatientGoldSource : IGrainWithStringKey
{
    /// <summary>This patient's rows of dim_patient, fact_ward_stay and fact_encounter, as of now (empty lists when nothing was applied).</summary>
    [AlwaysInterleave]
    Task<PatientGoldRows> GetGoldRowsAsync();
}
