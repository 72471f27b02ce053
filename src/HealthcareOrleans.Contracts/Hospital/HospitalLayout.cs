using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthcareOrleans.Contracts.Hospital;

/// <summary>The hospitals, their wards and bed capacities: what the simulator generates for and what Silver validates against.</summary>
[GenerateSerializer, Immutable, Alias("hc.hospital-layout")]
public sealed record HospitalLayout([property: Id(0)] IReadOnlyList<HospitalDefinition> Hospitals)
{
    public IEnumerable<WardDefinition> Wards => Hospitals.SelectMany(h => h.Wards);

    public static HospitalLayout Default { get; } = LoadDefault();

    public static HospitalLayout Parse(string json)
    {
        var layout = JsonSerializer.Deserialize(json, HospitalLayoutJsonContext.Default.HospitalLayout)
            ?? throw new InvalidDataException("The hospital layout file is empty.");
        layout.Validate();
        return layout;
    }

    public static HospitalLayout LoadFile(string path) => Parse(File.ReadAllText(path));

    public string ToJson() => JsonSerializer.Serialize(this, HospitalLayoutJsonContext.Default.HospitalLayout);

    /// <summary>Ward ids key the ward grains, so they must be unique across hospitals, not just within one.</summary>
    public void Validate()
    {
        if (Hospitals is not { Count: > 0 })
        {
            throw new InvalidDataException("The hospital layout names no hospital.");
        }

        var wardIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hospital in Hospitals)
        {
            if (string.IsNullOrWhiteSpace(hospital.HospitalId) || hospital.Wards is not { Count: > 0 })
            {
                throw new InvalidDataException($"Hospital '{hospital.HospitalId}' needs an id and at least one ward.");
            }

            foreach (var ward in hospital.Wards)
            {
                if (string.IsNullOrWhiteSpace(ward.WardId) || string.IsNullOrWhiteSpace(ward.Department))
                {
                    throw new InvalidDataException($"A ward of hospital '{hospital.HospitalId}' lacks a ward_id or department.");
                }

                if (ward.Beds <= 0)
                {
                    throw new InvalidDataException($"Ward '{ward.WardId}' has {ward.Beds} beds; it needs at least one.");
                }

                if (!wardIds.Add(ward.WardId))
                {
                    throw new InvalidDataException($"Ward id '{ward.WardId}' appears twice; ward ids must be unique across hospitals.");
                }
            }
        }
    }

    private static HospitalLayout LoadDefault()
    {
        using var stream = typeof(HospitalLayout).Assembly.GetManifestResourceStream("HealthcareOrleans.default-hospital.json")
            ?? throw new InvalidOperationException("The default hospital layout is not embedded in the Contracts assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

[GenerateSerializer, Immutable, Alias("hc.hospital")]
public sealed record HospitalDefinition(
    [property: Id(0)] string HospitalId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<WardDefinition> Wards);

/// <param name="Department">The clinical department the ward belongs to; admissions name a department or a ward.</param>
[GenerateSerializer, Immutable, Alias("hc.ward-definition")]
public sealed record WardDefinition(
    [property: Id(0)] string WardId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Department,
    [property: Id(3)] int Beds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(HospitalLayout))]
internal sealed partial class HospitalLayoutJsonContext : JsonSerializerContext;
