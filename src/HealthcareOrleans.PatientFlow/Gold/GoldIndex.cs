namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>What the hospital-wide derivations need of one stay.</summary>
public readonly record struct StayFootprint(string WardId, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, string EntryKind, string? ExitKind);

/// <summary>One patient's part in the hospital-wide tables: their stays and the span of time their facts mention.</summary>
public sealed record PatientFootprint(IReadOnlyList<StayFootprint> Stays, DateTimeOffset? First, DateTimeOffset? Last)
{
    public static PatientFootprint Of(PatientGoldRows rows)
    {
        var stays = rows.Stays.Select(s => new StayFootprint(s.WardId, s.EnteredAt, s.LeftAt, s.EntryKind, s.ExitKind)).ToList();
        var instants = rows.Stays.SelectMany(s => new[] { (DateTimeOffset?)s.EnteredAt, s.LeftAt })
            .Concat(rows.Encounters.SelectMany(e => new[] { e.ArrivedAt, e.AdmittedAt, e.DischargedAt }));
        return Spanning(stays, instants);
    }

    public static PatientFootprint Spanning(IReadOnlyList<StayFootprint> stays, IEnumerable<DateTimeOffset?> instants)
    {
        DateTimeOffset? first = null, last = null;
        foreach (var t in instants)
        {
            if (t is { } at)
            {
                first = first is { } f && f <= at ? f : at;
                last = last is { } l && l >= at ? l : at;
            }
        }

        return new PatientFootprint(stays, first, last);
    }
}

/// <summary>
/// Every patient's footprint, keyed by durable key: what the census and the calendar are computed from. The Gold flush
/// keeps one in memory (loaded from the fact tables when it starts, then updated with each changed patient), so it
/// never has to re-read the facts to recompute the census.
/// </summary>
public sealed class GoldIndex
{
    private readonly Dictionary<long, PatientFootprint> _patients = [];

    public int PatientCount => _patients.Count;

    public void Set(long patientDk, PatientFootprint footprint)
    {
        if (footprint.Stays.Count == 0 && footprint.First is null)
        {
            _patients.Remove(patientDk);
        }
        else
        {
            _patients[patientDk] = footprint;
        }
    }

    /// <summary>All stays, in a fixed order, so sums over them come out the same however the index was filled.</summary>
    public List<StayFootprint> AllStays()
    {
        var stays = _patients.Values.SelectMany(p => p.Stays).ToList();
        stays.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.WardId, b.WardId);
            if (c == 0) c = a.EnteredAt.CompareTo(b.EnteredAt);
            if (c == 0) c = Nullable.Compare(a.LeftAt, b.LeftAt);
            if (c == 0) c = string.CompareOrdinal(a.EntryKind, b.EntryKind);
            return c != 0 ? c : string.CompareOrdinal(a.ExitKind, b.ExitKind);
        });
        return stays;
    }

    /// <summary>The first and last dates any fact mentions (UTC), or null when there are no facts.</summary>
    public (DateOnly First, DateOnly Last)? DateSpan()
    {
        DateTimeOffset? first = null, last = null;
        foreach (var p in _patients.Values)
        {
            if (p.First is { } f && (first is null || f < first))
            {
                first = f;
            }

            if (p.Last is { } l && (last is null || l > last))
            {
                last = l;
            }
        }

        return first is { } a && last is { } b ? (DateOnly.FromDateTime(a.UtcDateTime), DateOnly.FromDateTime(b.UtcDateTime)) : null;
    }
}
