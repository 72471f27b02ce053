using System.Collections.Immutable;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// Where patients come from: new people with plausible demographics, or people seen before (readmissions, keeping
/// their patient_id). Between visits some move house or change payer, which gives SCD2 history real work.
/// </summary>
internal sealed class PatientPopulation(IdSource ids, double returningShare)
{
    /// <summary>How many past patients a hospital remembers for readmission; bounds memory on long runs.</summary>
    private const int ReturningPoolLimit = 20_000;

    // Postcode unit letters exclude C, I, K, M, O, V as in UK postcodes.
    private const string UnitLetters = "ABDEFGHJLNPQRSTUWXYZ";

    private static readonly ImmutableArray<string> Payers = ["NHS", "Bupa", "AXA Health", "Vitality", "Self-pay"];
    private static ReadOnlySpan<double> PayerWeights => [0.86, 0.05, 0.04, 0.02, 0.03];

    // Age bands (lower bound, upper bound exclusive) and their weights: emergency patients skew old, planned ones middle-aged.
    private static readonly ImmutableArray<(int From, int To)> AgeBands = [(0, 16), (16, 45), (45, 65), (65, 80), (80, 100)];
    private static ReadOnlySpan<double> EmergencyAgeWeights => [0.12, 0.28, 0.22, 0.22, 0.16];
    private static ReadOnlySpan<double> ElectiveAgeWeights => [0.05, 0.25, 0.32, 0.28, 0.10];

    public PatientRecord Next(HospitalModel hospital, bool elective, DateTimeOffset now, Random random)
    {
        var pool = hospital.ReturningPatients;
        if (pool.Count > 0 && random.Chance(returningShare))
        {
            var index = random.Next(pool.Count);
            var patient = pool[index];
            pool[index] = pool[^1];
            pool.RemoveAt(pool.Count - 1);
            DriftBetweenVisits(patient, hospital, now, random);
            return patient;
        }

        return NewPatient(hospital, elective, now, random);
    }

    public void Remember(HospitalModel hospital, PatientRecord patient, Random random)
    {
        var pool = hospital.ReturningPatients;
        if (pool.Count < ReturningPoolLimit)
        {
            pool.Add(patient);
        }
        else
        {
            // The pool is full: the remembered patient replaces a random one, who is taken to have moved away.
            pool[random.Next(pool.Count)] = patient;
        }
    }

    public static string NewPostalCode(HospitalModel hospital, Random random) =>
        $"{hospital.PostalArea}{random.Next(1, 21)} {random.Next(1, 10)}{UnitLetters[random.Next(UnitLetters.Length)]}{UnitLetters[random.Next(UnitLetters.Length)]}";

    public static string OtherPayer(string current, Random random)
    {
        while (true)
        {
            var payer = Payers[random.PickWeighted(PayerWeights)];
            if (payer != current)
            {
                return payer;
            }
        }
    }

    private PatientRecord NewPatient(HospitalModel hospital, bool elective, DateTimeOffset now, Random random)
    {
        var (from, to) = AgeBands[random.PickWeighted(elective ? ElectiveAgeWeights : EmergencyAgeWeights)];
        var ageDays = (from * 365.25) + (random.NextDouble() * (to - from) * 365.25);
        var birthDate = DateOnly.FromDateTime(now.UtcDateTime.AddDays(-ageDays));
        var genderDraw = random.NextDouble();
        var gender = genderDraw < 0.51 ? "F" : genderDraw < 0.996 ? "M" : "U";
        return new PatientRecord(
            ids.NextPatientId(), gender, birthDate, NewPostalCode(hospital, random), Payers[random.PickWeighted(PayerWeights)]);
    }

    private static void DriftBetweenVisits(PatientRecord patient, HospitalModel hospital, DateTimeOffset now, Random random)
    {
        if (patient.LastDischargedAt is not { } last || now - last < TimeSpan.FromDays(30))
        {
            return;
        }

        if (random.Chance(0.10))
        {
            patient.PostalCode = NewPostalCode(hospital, random);
        }

        if (random.Chance(0.05))
        {
            patient.Payer = OtherPayer(patient.Payer, random);
        }
    }
}
