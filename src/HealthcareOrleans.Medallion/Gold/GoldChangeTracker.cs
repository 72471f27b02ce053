namespace HealthcareOrleans.Medallion.Gold;

/// <summary>
/// The patients of this silo that changed since the last Gold flush. Patient grains mark themselves here (a set insert
/// in local memory, nothing on the wire); the Gold flush takes the set from every silo through
/// <c>GoldChangeService</c>. What was taken stays held until the flush confirms it committed, so a failed flush,
/// or a flush grain that moved to another silo, gets the same patients again on its next take.
/// </summary>
public sealed class GoldChangeTracker
{
    private readonly Lock _lock = new();
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private HashSet<string>? _taken;
    private long _receipt;

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count + (_taken?.Count ?? 0);
            }
        }
    }

    public void Mark(string patientId)
    {
        lock (_lock)
        {
            _pending.Add(patientId);
        }
    }

    /// <summary>Everything marked and not yet confirmed, with the receipt that confirms exactly this take.</summary>
    public GoldChangeTake Take()
    {
        lock (_lock)
        {
            if (_taken is null)
            {
                _taken = _pending;
                _pending = new HashSet<string>(StringComparer.Ordinal);
            }
            else
            {
                _taken.UnionWith(_pending);
                _pending.Clear();
            }

            return new GoldChangeTake(++_receipt, [.. _taken]);
        }
    }

    /// <summary>
    /// The flush committed the patients of take <paramref name="receipt"/>. A stale receipt (a later take happened, which
    /// holds the same patients and more) confirms nothing: that later take's flush will.
    /// </summary>
    public void Confirm(long receipt)
    {
        lock (_lock)
        {
            if (receipt == _receipt)
            {
                _taken = null;
            }
        }
    }
}

/// <param name="Receipt">Hand back to <see cref="GoldChangeTracker.Confirm"/> once the patients' rows are committed.</param>
[GenerateSerializer, Immutable, Alias("hc.gold.change-take")]
public sealed record GoldChangeTake([property: Id(0)] long Receipt, [property: Id(1)] IReadOnlyList<string> PatientIds);
