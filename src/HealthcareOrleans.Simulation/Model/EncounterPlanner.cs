namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// Decides what happens to an arriving patient: their acuity, whether they are admitted, and the departments they
/// will pass through. Rules are deliberately simple and clinical: children to paediatrics, the sickest to critical
/// care then a step-down ward, the elderly medical patient often on to elderly care. Among the departments a patient
/// is eligible for, the choice is weighted by each department's throughput (beds per median stay): a hospital's wards
/// are sized for its case mix, so any layout ends up with balanced occupancy instead of one ward with an endless queue.
/// </summary>
internal sealed class EncounterPlanner(TriageMix triage)
{
    // Chance of admission after emergency assessment, by acuity 1–5: about 30 % overall, as in UK emergency departments.
    private static ReadOnlySpan<double> AdmissionChance => [0.90, 0.60, 0.35, 0.10, 0.03];

    // How long emergency assessment takes before the patient goes home or is listed for a bed (median), by acuity 1–5.
    private static ReadOnlySpan<double> AssessmentMedianMinutes => [45, 120, 180, 150, 90];

    public (int Acuity, IReadOnlyList<string> Path) PlanEmergency(HospitalModel hospital, PatientRecord patient, DateTimeOffset now, Random random)
    {
        var acuity = triage.Sample(random);
        var age = patient.AgeAt(now);
        if (hospital.InpatientDepartments.Count == 0)
        {
            return (acuity, []);
        }

        var admitChance = Math.Min(0.98, AdmissionChance[acuity - 1] + (age >= 75 ? 0.15 : 0));
        var admitted = hospital.EmergencyWard is null || random.Chance(admitChance);
        return (acuity, admitted ? AdmissionPath(hospital, patient, age, acuity, emergency: true, random) : []);
    }

    public IReadOnlyList<string> PlanElective(HospitalModel hospital, PatientRecord patient, DateTimeOffset now, Random random) =>
        AdmissionPath(hospital, patient, patient.AgeAt(now), acuity: null, emergency: false, random);

    public static TimeSpan AssessmentTime(int acuity, Random random) =>
        random.LogNormal(TimeSpan.FromMinutes(AssessmentMedianMinutes[acuity - 1]), 0.5, TimeSpan.FromMinutes(10), TimeSpan.FromHours(12));

    /// <summary>Clerking and preparation of a planned admission before the bed is needed.</summary>
    public static TimeSpan PreAdmissionTime(Random random) => random.Uniform(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(120));

    private static IReadOnlyList<string> AdmissionPath(
        HospitalModel hospital, PatientRecord patient, int age, int? acuity, bool emergency, Random random)
    {
        var criticalCare = hospital.DepartmentOf(DepartmentRole.CriticalCare);
        var needsCriticalCare = acuity == 1 || (acuity == 2 && random.Chance(0.25));
        if (criticalCare is not null && needsCriticalCare)
        {
            // Most critical-care patients step down to a ward before going home; the rest go home (or die) from ICU.
            return random.Chance(0.85)
                ? [criticalCare, ChooseWardDepartment(hospital, patient, age, emergency, random)]
                : [criticalCare];
        }

        var department = ChooseWardDepartment(hospital, patient, age, emergency, random);
        var geriatrics = hospital.DepartmentOf(DepartmentRole.Geriatrics);
        if (age >= 75 && geriatrics is not null && DepartmentRoles.Of(department) == DepartmentRole.Medicine && random.Chance(0.3))
        {
            return [department, geriatrics];
        }

        return [department];
    }

    private static string ChooseWardDepartment(HospitalModel hospital, PatientRecord patient, int age, bool emergency, Random random)
    {
        var departments = hospital.InpatientDepartments;
        var paediatrics = hospital.DepartmentOf(DepartmentRole.Paediatrics);
        if (age < 16 && paediatrics is not null)
        {
            return paediatrics;
        }

        Span<double> weights = stackalloc double[departments.Count];
        for (var i = 0; i < departments.Count; i++)
        {
            weights[i] = departments[i].Throughput * CaseMixWeight(departments[i].Role, patient.Gender, age, emergency);
        }

        var chosen = random.PickWeighted(weights);
        if (chosen >= 0)
        {
            return departments[chosen].Name;
        }

        // Nothing fits the case mix (a layout of unusual departments): any department that is not critical care.
        var fallback = departments.Where(d => d.Role != DepartmentRole.CriticalCare).ToArray();
        return fallback.Length > 0 ? fallback[random.Next(fallback.Length)].Name : departments[0].Name;
    }

    /// <summary>
    /// How much a department is the right place for this patient, before its size is taken into account. Departments
    /// that serve a narrow group (the elderly, women in childbearing age) get a boost inside that group, so that their
    /// beds fill like the others instead of being diluted by everyone who could not go there anyway.
    /// </summary>
    private static double CaseMixWeight(DepartmentRole role, string gender, int age, bool emergency) => role switch
    {
        DepartmentRole.Medicine => emergency ? 1.0 : 0.1,
        DepartmentRole.Geriatrics => age >= 75 ? (emergency ? 3.0 : 0.2) : 0,
        DepartmentRole.Cardiology => age >= 16 ? (emergency ? 1.0 : 0.6) : 0,
        DepartmentRole.Surgery => emergency ? 0.6 : 1.6,
        DepartmentRole.Orthopaedics => emergency ? 0.6 : 1.6,
        DepartmentRole.Obstetrics => gender == "F" && age is >= 16 and <= 45 ? 5.0 : 0,
        DepartmentRole.Paediatrics => 0,
        DepartmentRole.CriticalCare => 0,
        DepartmentRole.Emergency => 0,
        _ => 1.0,
    };
}
