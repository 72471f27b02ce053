namespace HealthcareOrleans.Contracts.Wards;

/// <summary>
/// Ward updates addressed to their wards (<c>WardIds[i]</c> gets <c>Updates[i]</c>), in the order they were made: what a
/// patient's batch changed, handed back to the caller so that one call per ward carries the updates of every patient in
/// the batch. Immutable, so nothing is copied between grains of one silo: the caller hands back on the very object the
/// patient keeps what each ward answered (<see cref="Acknowledge"/>), and the patient saves without asking again a ward
/// whose receipt reads as stored. A copy (a patient in another silo) is never acknowledged, and that patient confirms.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.ward-deltas")]
public sealed class WardDeltas
{
    public static readonly WardDeltas None = new([], []);

    // Not serialized: receipts are shared within a silo only (see WardReceipt). Null until a ward answered.
    [NonSerialized]
    private WardReceipt?[]? _receipts;

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

    /// <summary>Records ward <paramref name="wardId"/>'s receipt for the updates addressed to it.</summary>
    public void Acknowledge(string wardId, WardReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var receipts = Volatile.Read(ref _receipts);
        if (receipts is null)
        {
            receipts = new WardReceipt?[Updates.Length];
            receipts = Interlocked.CompareExchange(ref _receipts, receipts, null) ?? receipts;
        }

        for (var i = 0; i < WardIds.Length; i++)
        {
            if (string.Equals(WardIds[i], wardId, StringComparison.Ordinal))
            {
                Volatile.Write(ref receipts[i], receipt);
            }
        }
    }

    /// <summary>True when update <paramref name="index"/> is known to be in its ward's storage.</summary>
    public bool IsStored(int index) => Volatile.Read(ref _receipts) is { } receipts && Volatile.Read(ref receipts[index]) is { IsStored: true };
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
