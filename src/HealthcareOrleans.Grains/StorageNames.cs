namespace HealthcareOrleans.Grains;

/// <summary>Grain storage provider names; the silo profile decides what backs each.</summary>
public static class StorageNames
{
    public const string Patients = "patients";
    public const string Wards = "wards";
}
