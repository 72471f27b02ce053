namespace HealthcareOrleans.Contracts.Patients;

public enum PatientStatus
{
    /// <summary>No movement applied yet (only demographics, or nothing).</summary>
    Unknown,
    /// <summary>Arrived and waiting for a bed.</summary>
    Waiting,
    /// <summary>In a ward bed.</summary>
    Admitted,
    /// <summary>The last encounter is closed.</summary>
    Discharged,
}
