using Orleans.Concurrency;

namespace HealthcareOrleans.Contracts.Wards;

/// <summary>
/// A ward's answer to a batch of updates: the batch is change <see cref="Change"/> of that ward's activation, and it is
/// stored once the activation's <see cref="WardStorageMark"/> reaches it. The mark travels only within a silo (it is
/// not serialized): a receipt that crossed silos never reads as stored, and the patient confirms with the ward itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.ward-receipt")]
public sealed class WardReceipt
{
    public WardReceipt(WardStorageMark? mark, long change)
    {
        Mark = mark;
        Change = change;
    }

    [field: NonSerialized]
    public WardStorageMark? Mark { get; }

    [Id(0)]
    public long Change { get; }

    public bool IsStored => Mark is { } mark && mark.StoredThrough >= Change;
}

/// <summary>
/// How far one ward activation's changes are in storage: advanced only by a write that completed and that started
/// after those changes. A new activation has a new mark, so a receipt of one that went away unwritten never reads as
/// stored. Written by its ward activation alone (one turn at a time), read by patients on other threads.
/// </summary>
public sealed class WardStorageMark
{
    private long _storedThrough;

    public long StoredThrough => Volatile.Read(ref _storedThrough);

    /// <summary>Every change up to <paramref name="change"/> is stored; the ward passes a value that never decreases.</summary>
    public void Stored(long change) => Volatile.Write(ref _storedThrough, change);
}
