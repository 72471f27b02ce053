using Orleans.Concurrency;

namespace HealthcareOrleans.Contracts.Wards;

/// <summary>One ward, keyed by ward id: the live census fed by the patient grains.</summary>
public interface IWardGrain : IGrainWithStringKey
{
    /// <summary>The fast path: applied at once for the live census, written to storage in the background.</summary>
    Task ApplyAsync(WardUpdate update);

    /// <summary>
    /// The fast path for a partition read: the updates of its patients, applied in order. The receipt tells when they
    /// are stored (within the ward's silo; see <see cref="WardReceipt"/>), so that their patients need not confirm them.
    /// </summary>
    Task<WardReceipt> ApplyBatchAsync(WardUpdateBatch updates);

    /// <summary>
    /// Applies <paramref name="updates"/> again (one patient's updates since that patient last saved its state that no
    /// receipt shows stored, in the order they were sent) and completes when the ward's stored state holds them. A
    /// patient saves its own state only after this, so a ward never forgets what a saved patient believes it was told,
    /// even when the ward's silo died before its background write.
    /// </summary>
    Task ConfirmAsync(IReadOnlyList<WardUpdate> updates);

    [AlwaysInterleave]
    Task<WardCensus> GetCensusAsync(bool includeOccupants);
}
