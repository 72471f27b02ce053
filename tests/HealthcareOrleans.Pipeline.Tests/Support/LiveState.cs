using System.Text.Json;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>Compares the grains' live state with the reference, field by field, as JSON so lists compare by content.</summary>
public static class LiveState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static async Task<List<string>> DifferencesAsync(IGrainFactory grains, ReferencePipeline reference)
    {
        var differences = new List<string>();
        foreach (var patientId in reference.Patients.Keys.Order(StringComparer.Ordinal))
        {
            var expected = reference.ViewOf(patientId);
            var actual = await grains.GetGrain<IPatientGrain>(patientId).GetAsync();
            if (actual is null || Serialize(actual) != Serialize(expected))
            {
                differences.Add($"patient {patientId}: expected {Serialize(expected)} but was {(actual is null ? "nothing" : Serialize(actual))}");
            }
        }

        foreach (var hospital in HospitalLayout.Default.Hospitals)
        {
            foreach (var ward in hospital.Wards)
            {
                var expected = reference.CensusOf(ward, hospital.HospitalId);
                var actual = await grains.GetGrain<IWardGrain>(ward.WardId).GetCensusAsync(includeOccupants: true);
                if (Serialize(actual) != Serialize(expected))
                {
                    differences.Add($"ward {ward.WardId}: expected {Serialize(expected)} but was {Serialize(actual)}");
                }
            }
        }

        return differences;
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
