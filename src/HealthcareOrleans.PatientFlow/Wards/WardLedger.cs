using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Wards;

namespace HealthcareOrleans.PatientFlow.Wards;

/// <summary>
/// A ward's live census: who is here or waiting, and the movements counted per hour. Idempotent: a movement is
/// counted once per (event, kind) however often it is sent, and a retraction takes back only what was counted.
/// </summary>
[GenerateSerializer, Alias("hc.ward-ledger")]
public sealed class WardLedger
{
    /// <summary>How much hourly history a ward keeps live; the lake keeps the rest.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(48);

    [Id(0)] public Dictionary<string, WardOccupant> Occupants { get; private set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, WardFlowFact> CountedFacts { get; private set; } = new(StringComparer.Ordinal);
    [Id(2)] public Dictionary<long, HourlyCounts> Hours { get; private set; } = [];
    [Id(3)] public DateTimeOffset? Watermark { get; private set; }

    public void Apply(WardUpdate update)
    {
        if (update.Presence == WardPresence.Absent)
        {
            Occupants.Remove(update.PatientId);
        }
        else
        {
            Occupants[update.PatientId] = new WardOccupant(update.PatientId, update.EncounterId, update.Presence, update.BedId, update.Since, update.Acuity);
            Advance(update.Since);
        }

        foreach (var fact in update.Facts)
        {
            Count(fact);
        }

        Prune();
    }

    public WardCensus ToCensus(WardDefinition ward, string hospitalId, bool includeOccupants)
    {
        var today = Watermark is { } w ? DateOnly.FromDateTime(w.UtcDateTime) : (DateOnly?)null;
        var present = 0;
        var waiting = 0;
        var stayHours = 0.0;
        foreach (var occupant in Occupants.Values)
        {
            if (occupant.Presence == WardPresence.Present)
            {
                present++;
                if (occupant.Since is { } since && Watermark is { } now && now > since)
                {
                    stayHours += (now - since).TotalHours;
                }
            }
            else
            {
                waiting++;
            }
        }

        var day = new HourlyCounts();
        var lastHours = new List<HourlyWardFlow>(Hours.Count);
        foreach (var (hourTicks, counts) in Hours.OrderBy(h => h.Key))
        {
            var hour = new DateTimeOffset(hourTicks, TimeSpan.Zero);
            lastHours.Add(new HourlyWardFlow(hour, counts.Arrivals, counts.Admissions, counts.Discharges, counts.TransfersIn, counts.TransfersOut));
            if (today is { } d && DateOnly.FromDateTime(hour.UtcDateTime) == d)
            {
                day.Add(counts);
            }
        }

        return new WardCensus
        {
            WardId = ward.WardId,
            Name = ward.Name,
            HospitalId = hospitalId,
            Department = ward.Department,
            Beds = ward.Beds,
            Occupied = present,
            Waiting = waiting,
            AsOf = Watermark,
            ArrivalsToday = day.Arrivals,
            AdmissionsToday = day.Admissions,
            DischargesToday = day.Discharges,
            TransfersInToday = day.TransfersIn,
            TransfersOutToday = day.TransfersOut,
            AverageLengthOfStayHours = present == 0 ? null : Math.Round(stayHours / present, 1),
            LastHours = lastHours,
            Occupants = includeOccupants ? [.. Occupants.Values.OrderBy(o => o.BedId, StringComparer.Ordinal).ThenBy(o => o.Since)] : null,
        };
    }

    private void Count(WardFlowFact fact)
    {
        var key = fact.EventId + "|" + (int)fact.Kind;
        if (fact.Retracted)
        {
            // Take back from the hour it was counted in: the stored fact's, not the retraction's.
            if (CountedFacts.Remove(key, out var counted))
            {
                HourOf(counted.OccurredAt)?.Add(counted.Kind, -1);
            }
        }
        else if (!CountedFacts.ContainsKey(key) && HourStart(fact.OccurredAt) >= WindowStart())
        {
            CountedFacts[key] = fact;
            HourOf(fact.OccurredAt, create: true)!.Add(fact.Kind, +1);
            Advance(fact.OccurredAt);
        }
    }

    private HourlyCounts? HourOf(DateTimeOffset at, bool create = false)
    {
        var hourTicks = HourStart(at);
        if (Hours.TryGetValue(hourTicks, out var counts) || !create)
        {
            return counts;
        }

        counts = new HourlyCounts();
        Hours[hourTicks] = counts;
        return counts;
    }

    private void Advance(DateTimeOffset? at)
    {
        if (at is { } t && (Watermark is null || t > Watermark))
        {
            Watermark = t;
        }
    }

    private static long HourStart(DateTimeOffset at) => at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour);

    /// <summary>
    /// The first hour the ward still counts, in whole hours: a fact counts exactly when its hour is inside the window
    /// at the end, whatever order the facts came in, so every silo and every replay ends with the same counts.
    /// </summary>
    private long WindowStart() => Watermark is { } w ? HourStart(w) - Window.Ticks : long.MinValue;

    private void Prune()
    {
        var windowStart = WindowStart();
        if (!Hours.Keys.Any(k => k < windowStart))
        {
            return;
        }

        foreach (var stale in Hours.Keys.Where(k => k < windowStart).ToList())
        {
            Hours.Remove(stale);
        }

        foreach (var stale in CountedFacts.Where(f => HourStart(f.Value.OccurredAt) < windowStart).Select(f => f.Key).ToList())
        {
            CountedFacts.Remove(stale);
        }
    }
}

[GenerateSerializer, Alias("hc.hourly-counts")]
public sealed class HourlyCounts
{
    [Id(0)] public int Arrivals { get; set; }
    [Id(1)] public int Admissions { get; set; }
    [Id(2)] public int Discharges { get; set; }
    [Id(3)] public int TransfersIn { get; set; }
    [Id(4)] public int TransfersOut { get; set; }

    public void Add(WardFlowKind kind, int delta)
    {
        switch (kind)
        {
            case WardFlowKind.Arrival: Arrivals += delta; break;
            case WardFlowKind.Admission: Admissions += delta; break;
            case WardFlowKind.Discharge: Discharges += delta; break;
            case WardFlowKind.TransferIn: TransfersIn += delta; break;
            case WardFlowKind.TransferOut: TransfersOut += delta; break;
        }
    }

    public void Add(HourlyCounts other)
    {
        Arrivals += other.Arrivals;
        Admissions += other.Admissions;
        Discharges += other.Discharges;
        TransfersIn += other.TransfersIn;
        TransfersOut += other.TransfersOut;
    }
}
