namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// One hospital visit, from arrival to discharge. <see cref="Path"/> is the sequence of departments the patient will
/// stay in (empty for a patient treated in the emergency department and sent home); each stay starts when a bed is free.
/// </summary>
internal sealed class Encounter(
    string encounterId, PatientRecord patient, HospitalModel hospital, int? acuity, bool elective,
    IReadOnlyList<string> path, DateTimeOffset arrivedAt)
{
    public string EncounterId { get; } = encounterId;

    public PatientRecord Patient { get; } = patient;

    public HospitalModel Hospital { get; } = hospital;

    /// <summary>Triage acuity 1–5 for emergency patients; null for planned admissions, which are not triaged.</summary>
    public int? Acuity { get; } = acuity;

    public bool Elective { get; } = elective;

    public IReadOnlyList<string> Path { get; } = path;

    public DateTimeOffset ArrivedAt { get; } = arrivedAt;

    /// <summary>Index in <see cref="Path"/> of the current (or awaited) stay.</summary>
    public int StayIndex { get; set; }

    /// <summary>The ward the patient waits for: named in the ARRIVAL event, preferred when a bed is given.</summary>
    public string? PendingWardId { get; set; }

    public WardBeds? Ward { get; set; }

    public int Bed { get; set; } = -1;

    public DateTimeOffset? AdmittedAt { get; set; }

    /// <summary>Department and bed of the admission: what the flat admission record reports for the whole encounter.</summary>
    public string? AdmittedDepartment { get; set; }

    public string? AdmittedBedId { get; set; }

    public bool Closed { get; set; }

    public bool IsAdmittable => Path.Count > 0;

    public string? CurrentDepartment => StayIndex < Path.Count ? Path[StayIndex] : null;
}
