using Orleans.Concurrency;

namespace HealthcareOrleans.Contracts.Wards;

/// <summary>One ward, keyed by ward id: the live census fed by the patient grains.</summary>
public interface IWardGrain : IGrainWithStringKey
{
    Task ApplyAsync(WardUpdate update);

    [AlwaysInterleave]
    Task<WardCensus> GetCensusAsync(bool includeOccupants);
}
