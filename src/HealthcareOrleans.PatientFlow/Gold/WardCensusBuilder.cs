namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>
/// fact_ward_census_hourly from the stays: one row per ward and UTC hour, from the hour of the first stay to the hour
/// of the latest instant any stay mentions (the data's watermark), dense so averages over hours count empty ones.
/// A stay occupies its bed over [entered_at, left_at). Per hour [start, end):
/// <list type="bullet">
/// <item><c>occupancy_at_end</c>: patients in a bed when the hour is over, i.e. after its movements (entered before end,
/// not left before end) — the hourly analogue of the midnight census.</item>
/// <item><c>patients_present</c>: patients in a bed at any moment of the hour (stays overlapping it).</item>
/// <item><c>bed_hours</c>: occupied time within the hour; divided by beds it is the utilisation. Open stays count up
/// to the watermark, never beyond what the data knows.</item>
/// <item>admissions and transfers in count entries in the hour, discharges and transfers out exits. A stay closed
/// because a new encounter superseded it is neither a discharge nor a transfer (as the ward census counts it), so
/// occupancy_at_end = previous + admissions + transfers_in − discharges − transfers_out holds except at such stays.</item>
/// </list>
/// Exact: time is summed in ticks and converted once, so the result does not depend on the order of the stays.
/// </summary>
public static class WardCensusBuilder
{
    public static List<CensusRow> Build(IReadOnlyList<StayFootprint> stays, WardDimension wards)
    {
        if (stays.Count == 0)
        {
            return [];
        }

        var first = GoldKeys.HourOf(stays.Min(s => s.EnteredAt));
        var watermark = stays.Max(s => s.LeftAt is { } left && left > s.EnteredAt ? left : s.EnteredAt);
        var hours = Index(first, watermark) + 1;
        var wardIds = wards.Current.Select(w => w.WardId).Concat(stays.Select(s => s.WardId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var counters = wardIds.ToDictionary(w => w, _ => new Counters(hours), StringComparer.Ordinal);
        foreach (var stay in stays)
        {
            counters[stay.WardId].Add(stay, first, watermark);
        }

        List<CensusRow> rows = [];
        foreach (var (wardId, c) in counters)
        {
            int present = 0, atEnd = 0;
            long fullHours = 0;
            for (var h = 0; h < hours; h++)
            {
                present += c.PresentDiff[h];
                atEnd += c.AtEndDiff[h];
                fullHours += c.FullDiff[h];
                var start = first.AddHours(h);
                var version = wards.VersionAt(wardId, start);
                rows.Add(new CensusRow(
                    GoldKeys.HourKey(start), wardId, version?.WardSk ?? WardDimension.UnknownWard, start, GoldKeys.DateKey(start), start.Hour,
                    version?.Beds ?? 0, atEnd, present, ((fullHours * TimeSpan.TicksPerHour) - c.UncoveredTicks[h]) / (double)TimeSpan.TicksPerHour,
                    c.Admissions[h], c.Discharges[h], c.TransfersIn[h], c.TransfersOut[h]));
            }
        }

        return rows;
    }

    private static int Index(DateTimeOffset first, DateTimeOffset at) => (int)((GoldKeys.HourOf(at) - first).Ticks / TimeSpan.TicksPerHour);

    /// <summary>Per-hour difference arrays for one ward: an interval of hours costs two writes, not one per hour.</summary>
    private sealed class Counters(int hours)
    {
        public int[] PresentDiff { get; } = new int[hours + 1];
        public int[] AtEndDiff { get; } = new int[hours + 1];
        public int[] FullDiff { get; } = new int[hours + 1];
        public long[] UncoveredTicks { get; } = new long[hours];
        public int[] Admissions { get; } = new int[hours];
        public int[] Discharges { get; } = new int[hours];
        public int[] TransfersIn { get; } = new int[hours];
        public int[] TransfersOut { get; } = new int[hours];

        public void Add(StayFootprint stay, DateTimeOffset first, DateTimeOffset watermark)
        {
            var last = hours - 1;
            var entered = Index(first, stay.EnteredAt);
            if (stay.EntryKind == GoldMovements.Transfer)
            {
                TransfersIn[entered]++;
            }
            else
            {
                Admissions[entered]++;
            }

            if (stay.LeftAt is { } left)
            {
                var leftHour = Index(first, left);
                if (stay.ExitKind == GoldMovements.Transfer)
                {
                    TransfersOut[leftHour]++;
                }
                else if (stay.ExitKind == GoldMovements.Discharge)
                {
                    Discharges[leftHour]++;
                }

                // Present in an hour it overlaps: leaving exactly at an hour's start does not touch that hour.
                Range(PresentDiff, entered, left == GoldKeys.HourOf(left) ? leftHour - 1 : leftHour);
                // In a bed at an hour's end unless left by then.
                Range(AtEndDiff, entered, leftHour - 1);
            }
            else
            {
                Range(PresentDiff, entered, last);
                Range(AtEndDiff, entered, last);
            }

            var end = stay.LeftAt ?? watermark;
            if (end > stay.EnteredAt)
            {
                // Count every touched hour as full, then take back the parts before entry and after the end.
                var endHour = Index(first, end);
                Range(FullDiff, entered, endHour);
                UncoveredTicks[entered] += (stay.EnteredAt - GoldKeys.HourOf(stay.EnteredAt)).Ticks;
                UncoveredTicks[endHour] += (GoldKeys.HourOf(end).AddHours(1) - end).Ticks;
            }
        }

        private static void Range(int[] diff, int from, int to)
        {
            if (to >= from)
            {
                diff[from]++;
                diff[to + 1]--;
            }
        }
    }
}
