namespace HealthcareOrleans.Contracts.Wards;

/// <summary>The census of every ward in the layout, with hospital totals.</summary>
[GenerateSerializer, Immutable, Alias("hc.hospital-census")]
public sealed record HospitalCensus(
    [property: Id(0)] IReadOnlyList<WardCensus> Wards,
    [property: Id(1)] DateTimeOffset ComputedAt)
{
    public int Beds => Wards.Sum(w => w.Beds);
    public int Occupied => Wards.Sum(w => w.Occupied);
    public int Waiting => Wards.Sum(w => w.Waiting);
}

/// <summary>Fans out to the ward grains; holds no state, so any silo can answer.</summary>
public interface ICensusGrain : IGrainWithIntegerKey
{
    Task<HospitalCensus> GetAsync(string? hospitalId);
}
