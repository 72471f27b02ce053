using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Gold.Tests.Support;
using HealthcareOrleans.PatientFlow.Gold;
using static HealthcareOrleans.Gold.Tests.Support.Journey;

namespace HealthcareOrleans.Gold.Tests;

/// <summary>fact_ward_census_hourly for three patients in two wards, checked by hand hour by hour.</summary>
public sealed class WardCensusTests
{
    private static readonly HospitalLayout TwoWards = new(
    [
        new HospitalDefinition("RGH", "Test", [new WardDefinition("RGH-AMU", "Acute Medical Unit", "Medicine", 10), new WardDefinition("RGH-CAR", "Cardiology", "Cardiology", 6)]),
    ]);

    /// <summary>
    /// P1: AMU 08:15 → CAR 09:30 → discharged 10:00 (on the hour). P2: AMU 08:45 → discharged 09:15. P3: CAR from 09:00, still there.
    /// The data ends at 10:00, so the census has the hours 08, 09 and 10.
    /// </summary>
    private static List<CensusRow> Census()
    {
        var patients = new[]
        {
            new Patient("P-1").Apply(Admit("a1", 15, "RGH-AMU", encounter: "E-1"), Transfer("t1", 90, "RGH-CAR", encounter: "E-1"), Discharge("d1", 120, encounter: "E-1")),
            new Patient("P-2").Apply(Admit("a2", 45, "RGH-AMU", encounter: "E-2"), Discharge("d2", 75, encounter: "E-2")),
            new Patient("P-3").Apply(Admit("a3", 60, "RGH-CAR", encounter: "E-3")),
        };
        var index = new GoldIndex();
        foreach (var p in patients)
        {
            var rows = p.Rows;
            index.Set(rows.PatientDk, PatientFootprint.Of(rows));
        }

        var wards = new WardDimension([]);
        wards.Reconcile(TwoWards, T0);
        return WardCensusBuilder.Build(index.AllStays(), wards);
    }

    [Fact]
    public void Every_ward_has_a_row_for_every_hour_the_data_covers()
    {
        var census = Census();

        Assert.Equal(6, census.Count);
        Assert.Equal([2025030408L, 2025030409L, 2025030410L], census.Select(r => r.HourKey).Distinct());
        Assert.All(census, r => Assert.Equal(r.WardId == "RGH-AMU" ? 10 : 6, r.Beds));
    }

    [Theory]
    // ward, hour: at end, present, bed-hours, admissions, discharges, transfers in, transfers out
    [InlineData("RGH-AMU", 8, 2, 2, 1.0, 2, 0, 0, 0)]
    [InlineData("RGH-AMU", 9, 0, 2, 0.75, 0, 1, 0, 1)]
    [InlineData("RGH-AMU", 10, 0, 0, 0.0, 0, 0, 0, 0)]
    [InlineData("RGH-CAR", 8, 0, 0, 0.0, 0, 0, 0, 0)]
    [InlineData("RGH-CAR", 9, 2, 2, 1.5, 1, 0, 1, 0)]
    // P1 leaves at 10:00 sharp: still in a bed at 09's end, discharged in hour 10 where P3 (open) is the one present.
    [InlineData("RGH-CAR", 10, 1, 1, 0.0, 0, 1, 0, 0)]
    public void Hour_figures_match_the_hand_count(string ward, int hour, int atEnd, int present, double bedHours, int admissions, int discharges, int transfersIn, int transfersOut)
    {
        var row = Census().Single(r => r.WardId == ward && r.Hour == hour);

        Assert.Equal(
            (atEnd, present, bedHours, admissions, discharges, transfersIn, transfersOut),
            (row.OccupancyAtEnd, row.PatientsPresent, row.BedHours, row.Admissions, row.Discharges, row.TransfersIn, row.TransfersOut));
        Assert.Equal(T0.AddHours(hour - 8), row.HourStart);
        Assert.Equal(20250304, row.DateKey);
    }

    [Fact]
    public void Occupancy_at_each_hours_end_follows_from_the_movements()
    {
        foreach (var ward in Census().GroupBy(r => r.WardId))
        {
            var previous = 0;
            foreach (var row in ward.OrderBy(r => r.HourKey))
            {
                Assert.Equal(previous + row.Admissions + row.TransfersIn - row.Discharges - row.TransfersOut, row.OccupancyAtEnd);
                previous = row.OccupancyAtEnd;
            }
        }
    }
}
