using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Wards;

namespace HealthcareOrleans.Grains.Tests.Wards;

public sealed class WardLedgerTests
{
    private static readonly WardDefinition Amu = HospitalLayout.Default.Wards.Single(w => w.WardId == "RGH-AMU");
    private static readonly DateTimeOffset T0 = new(2025, 3, 4, 8, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double hours) => T0.AddHours(hours);

    private static WardUpdate Present(string patient, double sinceHours, string? bed = null, params WardFlowFact[] facts) =>
        new(patient, "E-" + patient, WardPresence.Present, bed, At(sinceHours), 3, facts);

    private static WardUpdate Waiting(string patient, double sinceHours) =>
        new(patient, "E-" + patient, WardPresence.Waiting, null, At(sinceHours), 2, []);

    private static WardUpdate Absent(string patient, params WardFlowFact[] facts) =>
        new(patient, "E-" + patient, WardPresence.Absent, null, null, null, facts);

    private static WardUpdate Facts(params WardFlowFact[] facts) => Absent("nobody", facts);

    private static WardFlowFact Fact(string eventId, WardFlowKind kind, double hours, bool retracted = false) =>
        new(eventId, kind, At(hours), retracted);

    private static WardCensus Census(WardLedger ledger, bool occupants = true) => ledger.ToCensus(Amu, "RGH", occupants);

    [Fact]
    public void An_empty_ward_has_no_census_clock_and_no_counts()
    {
        var census = Census(new WardLedger());

        Assert.Equal(("RGH-AMU", "Acute Medical Unit", "RGH", "Medicine", 28), (census.WardId, census.Name, census.HospitalId, census.Department, census.Beds));
        Assert.Equal((0, 0), (census.Occupied, census.Waiting));
        Assert.Null(census.AsOf);
        Assert.Null(census.AverageLengthOfStayHours);
        Assert.Empty(census.LastHours);
        Assert.Empty(census.Occupants!);
    }

    [Fact]
    public void Presence_is_upserted_and_the_latest_update_wins()
    {
        var ledger = new WardLedger();

        ledger.Apply(Waiting("p1", 0));
        ledger.Apply(Present("p1", 1, "AMU-3"));
        ledger.Apply(Present("p1", 1, "AMU-9"));

        var occupant = Assert.Single(Census(ledger).Occupants!);
        Assert.Equal(new WardOccupant("p1", "E-p1", WardPresence.Present, "AMU-9", At(1), 3), occupant);
    }

    [Fact]
    public void Absent_removes_the_patient_and_an_unknown_absent_is_harmless()
    {
        var ledger = new WardLedger();
        ledger.Apply(Present("p1", 0, "AMU-1"));

        ledger.Apply(Absent("p1"));
        ledger.Apply(Absent("p1"));
        ledger.Apply(Absent("never-here"));

        Assert.Empty(Census(ledger).Occupants!);
        Assert.Equal(0, Census(ledger).Occupied);
    }

    [Fact]
    public void Waiting_and_present_patients_are_counted_apart()
    {
        var ledger = new WardLedger();
        ledger.Apply(Present("p1", 0, "AMU-1"));
        ledger.Apply(Present("p2", 0, "AMU-2"));
        ledger.Apply(Waiting("p3", 1));

        var census = Census(ledger);

        Assert.Equal(2, census.Occupied);
        Assert.Equal(1, census.Waiting);
        Assert.Equal(Math.Round(100.0 * 2 / 28, 1), census.OccupancyPercent);
    }

    [Fact]
    public void Occupants_are_listed_only_when_asked_for()
    {
        var ledger = new WardLedger();
        ledger.Apply(Present("p1", 0, "AMU-1"));

        Assert.Null(Census(ledger, occupants: false).Occupants);
    }

    [Fact]
    public void A_fact_is_counted_once_however_often_it_is_sent()
    {
        var ledger = new WardLedger();
        var admission = Fact("b", WardFlowKind.Admission, 1);

        for (var i = 0; i < 5; i++)
        {
            ledger.Apply(Present("p1", 1, "AMU-1", admission));
        }

        Assert.Equal(1, Census(ledger).AdmissionsToday);
    }

    [Fact]
    public void One_event_may_count_different_kinds_once_each()
    {
        var ledger = new WardLedger();

        ledger.Apply(Facts(Fact("c", WardFlowKind.TransferIn, 1), Fact("c", WardFlowKind.TransferOut, 1), Fact("c", WardFlowKind.TransferIn, 1)));

        var census = Census(ledger);
        Assert.Equal((1, 1), (census.TransfersInToday, census.TransfersOutToday));
    }

    [Fact]
    public void A_retraction_takes_back_what_was_counted_once()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("b", WardFlowKind.Admission, 1), Fact("b2", WardFlowKind.Admission, 1)));

        ledger.Apply(Facts(Fact("b", WardFlowKind.Admission, 1, retracted: true)));
        ledger.Apply(Facts(Fact("b", WardFlowKind.Admission, 1, retracted: true)));

        Assert.Equal(1, Census(ledger).AdmissionsToday);
    }

    [Fact]
    public void A_retraction_of_something_never_counted_is_ignored()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("b", WardFlowKind.Admission, 1)));

        ledger.Apply(Facts(Fact("zzz", WardFlowKind.Admission, 1, retracted: true)));
        ledger.Apply(Facts(Fact("b", WardFlowKind.Discharge, 1, retracted: true)));

        var census = Census(ledger);
        Assert.Equal(1, census.AdmissionsToday);
        Assert.Equal(0, census.DischargesToday);
        Assert.All(census.LastHours, h => Assert.True(h.Discharges >= 0 && h.Admissions >= 0));
    }

    [Fact]
    public void A_retracted_fact_sent_again_counts_again()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("d", WardFlowKind.Discharge, 1)));
        ledger.Apply(Facts(Fact("d", WardFlowKind.Discharge, 1, retracted: true)));

        ledger.Apply(Facts(Fact("d", WardFlowKind.Discharge, 1)));

        Assert.Equal(1, Census(ledger).DischargesToday);
    }

    [Fact]
    public void Today_is_the_date_of_the_wards_event_time_watermark()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("y1", WardFlowKind.Arrival, -9), Fact("y2", WardFlowKind.Admission, -8.5)));  // 23:00 and 23:30 the day before
        ledger.Apply(Facts(Fact("t1", WardFlowKind.Arrival, 2), Fact("t2", WardFlowKind.Arrival, 3), Fact("t3", WardFlowKind.Discharge, 3.5)));

        var census = Census(ledger);

        Assert.Equal(At(3.5), census.AsOf);
        Assert.Equal(2, census.ArrivalsToday);
        Assert.Equal(0, census.AdmissionsToday);
        Assert.Equal(1, census.DischargesToday);
    }

    [Fact]
    public void A_late_fact_does_not_move_the_watermark_back()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("t1", WardFlowKind.Arrival, 5)));

        ledger.Apply(Facts(Fact("t0", WardFlowKind.Arrival, 1)));

        Assert.Equal(At(5), Census(ledger).AsOf);
        Assert.Equal(2, Census(ledger).ArrivalsToday);
    }

    [Fact]
    public void Movements_are_bucketed_by_hour_in_order()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(
            Fact("a", WardFlowKind.Arrival, 2.9), Fact("b", WardFlowKind.Admission, 0.1), Fact("c", WardFlowKind.Admission, 0.99),
            Fact("d", WardFlowKind.TransferIn, 1), Fact("e", WardFlowKind.TransferOut, 1.5), Fact("f", WardFlowKind.Discharge, 1.75)));

        Assert.Equal(
            [
                new HourlyWardFlow(At(0), 0, 2, 0, 0, 0),
                new HourlyWardFlow(At(1), 0, 0, 1, 1, 1),
                new HourlyWardFlow(At(2), 1, 0, 0, 0, 0),
            ],
            Census(ledger).LastHours);
    }

    [Fact]
    public void Hours_in_other_offsets_fall_into_UTC_buckets()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(new WardFlowFact("a", WardFlowKind.Arrival, new DateTimeOffset(2025, 3, 4, 9, 30, 0, TimeSpan.FromHours(1)), false)));

        Assert.Equal(At(0), Assert.Single(Census(ledger).LastHours).Hour);
    }

    [Fact]
    public void Hourly_history_older_than_48_hours_is_pruned()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("old", WardFlowKind.Admission, 0)));
        ledger.Apply(Facts(Fact("mid", WardFlowKind.Admission, 24)));

        ledger.Apply(Facts(Fact("new", WardFlowKind.Admission, 50)));

        Assert.Equal([At(24), At(50)], Census(ledger).LastHours.Select(h => h.Hour));
        Assert.DoesNotContain(ledger.CountedFacts.Values, f => f.EventId == "old");
    }

    [Fact]
    public void A_fact_older_than_the_window_is_not_counted_and_its_retraction_is_ignored()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("now", WardFlowKind.Admission, 100)));

        ledger.Apply(Facts(Fact("ancient", WardFlowKind.Admission, 10)));
        ledger.Apply(Facts(Fact("ancient", WardFlowKind.Admission, 10, retracted: true)));

        Assert.Equal([At(100)], Census(ledger).LastHours.Select(h => h.Hour));
    }

    [Fact]
    public void A_pruned_fact_retracted_later_takes_nothing_back()
    {
        var ledger = new WardLedger();
        ledger.Apply(Facts(Fact("old", WardFlowKind.Admission, 0)));
        ledger.Apply(Facts(Fact("new", WardFlowKind.Admission, 60)));

        ledger.Apply(Facts(Fact("old", WardFlowKind.Admission, 0, retracted: true)));

        Assert.All(Census(ledger).LastHours, h => Assert.True(h.Admissions >= 0));
        Assert.Equal(1, Census(ledger).LastHours.Sum(h => h.Admissions));
    }

    [Fact]
    public void Average_length_of_stay_is_the_mean_stay_so_far_of_the_present_patients()
    {
        var ledger = new WardLedger();
        ledger.Apply(Present("p1", 0, "AMU-1"));
        ledger.Apply(Present("p2", 6, "AMU-2"));
        ledger.Apply(Waiting("p3", 0));
        ledger.Apply(Facts(Fact("clock", WardFlowKind.Arrival, 10)));

        // At 10 h: p1 has stayed 10 h, p2 4 h; the waiting patient does not count.
        Assert.Equal(7.0, Census(ledger).AverageLengthOfStayHours);
    }

    [Fact]
    public void Average_length_of_stay_is_rounded_to_a_tenth_of_an_hour()
    {
        var ledger = new WardLedger();
        ledger.Apply(Present("p1", 0, "AMU-1"));
        ledger.Apply(Present("p2", 0, "AMU-2"));
        ledger.Apply(Present("p3", 1, "AMU-3"));
        ledger.Apply(Facts(Fact("clock", WardFlowKind.Arrival, 2)));

        Assert.Equal(1.7, Census(ledger).AverageLengthOfStayHours);
    }

    [Fact]
    public void Occupants_are_listed_by_bed()
    {
        var ledger = new WardLedger();
        ledger.Apply(Present("p1", 0, "AMU-3"));
        ledger.Apply(Present("p2", 0, "AMU-1"));
        ledger.Apply(Present("p3", 0, "AMU-2"));

        Assert.Equal(["AMU-1", "AMU-2", "AMU-3"], Census(ledger).Occupants!.Select(o => o.BedId));
    }
}
