using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Hospital;
using Orleans.Concurrency;

namespace HealthcareOrleans.Grains.Census;

/// <summary>Asks every ward of the layout at once; stateless, so each silo answers locally.</summary>
[StatelessWorker]
public sealed class CensusGrain(HospitalDirectory directory, TimeProvider clock) : Grain, ICensusGrain
{
    public async Task<HospitalCensus> GetAsync(string? hospitalId)
    {
        var wards = directory.Layout.Hospitals
            .Where(h => hospitalId is null || string.Equals(h.HospitalId, hospitalId, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Wards)
            .Select(w => GrainFactory.GetGrain<IWardGrain>(w.WardId).GetCensusAsync(includeOccupants: false));
        var census = await Task.WhenAll(wards);
        return new HospitalCensus(census, clock.GetUtcNow());
    }
}
