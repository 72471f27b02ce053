namespace HealthcareOrleans.Contracts.Wards;

/// <summary>
/// Ward updates addressed to their wards (<c>WardIds[i]</c> gets <c>Updates[i]</c>), in the order they were made: what a
/// patient's batch changed, handed back to the caller so that one call per ward carries the updates of every patient in
/// the batch. Immutable, so nothing is copied between grains of one silo.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.ward-deltas")]
public sealed class WardDeltas
{
    public static readonly WardDeltas None = new([], []);

    public WardDeltas(string[] wardIds, WardUpdate[] updates)
    {
        ArgumentNullException.ThrowIfNull(wardIds);
        ArgumentNullException.ThrowIfNull(updates);
        if (wardIds.Length != updates.Length)
        {
            throw new ArgumentException("Every update needs its ward.", nameof(updates));
        }

        WardIds = wardIds;
        Updates = updates;
    }

    [Id(0)]
    public string[] WardIds { get; }

    [Id(1)]
    public WardUpdate[] Updates { get; }

    public int Count => Updates.Length;
}

/// <summary>The updates of several patients for one ward, each patient's in the order that patient made them.</summary>
[GenerateSerializer, Immutable, Alias("hc.ward-update-batch")]
public sealed class WardUpdateBatch
{
    public WardUpdateBatch(WardUpdate[] updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        Updates = updates;
    }

    [Id(0)]
    public WardUpdate[] Updates { get; }
}
