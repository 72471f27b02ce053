namespace HealthcareOrleans.Grains.Patients;

/// <summary>The request <see cref="PatientSaveScheduler"/> sends a patient when its background save is due.</summary>
public interface IPatientSaveGrain : IGrainWithStringKey
{
    /// <summary>
    /// Confirms the patient's ward updates, then writes its state. A request like any other, so it never interleaves
    /// with the patient's records: what the save stores is what the wards were just told. A no-op when nothing is owed.
    /// </summary>
    Task SaveDueAsync();
}
