using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Gold.Tests;

/// <summary>dim_date and dim_ward.</summary>
public sealed class DimensionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_calendar_covers_whole_years_around_the_data()
    {
        var dates = DateDimensionBuilder.Build((new DateOnly(2025, 12, 30), new DateOnly(2026, 1, 2)));

        Assert.Equal(365 + 365, dates.Count);
        Assert.Equal((20250101, 20261231), (dates[0].DateKey, dates[^1].DateKey));
        Assert.Equal(dates.Count, dates.Select(d => d.DateKey).Distinct().Count());
        var dec29 = dates.Single(d => d.DateKey == 20251229);
        // 29 December 2025 is a Monday in ISO week 1 of 2026.
        Assert.Equal((1, "Monday", 1, 2026, false, 4, "December"), (dec29.DayOfWeek, dec29.DayName, dec29.IsoWeek, dec29.IsoYear, dec29.IsWeekend, dec29.Quarter, dec29.MonthName));
        Assert.True(dates.Single(d => d.DateKey == 20260103).IsWeekend);
        Assert.Empty(DateDimensionBuilder.Build(null));
    }

    [Fact]
    public void A_capacity_change_closes_the_ward_version_and_opens_the_next()
    {
        var wards = new WardDimension([]);
        var first = wards.Reconcile(Layout(beds: 10), Start);
        var unchanged = wards.Reconcile(Layout(beds: 10), Start.AddHours(1));
        var changed = wards.Reconcile(Layout(beds: 12), Start.AddDays(1));

        var opened = Assert.Single(first);
        Assert.Equal((GoldKeys.BeginningOfTime, GoldKeys.OpenEnd, true, 1), (opened.ValidFrom, opened.ValidTo, opened.IsCurrent, opened.Version));
        Assert.Empty(unchanged);
        Assert.Equal(2, changed.Count);
        Assert.Equal((opened.WardSk, Start.AddDays(1), false), (changed[0].WardSk, changed[0].ValidTo, changed[0].IsCurrent));
        Assert.Equal((Start.AddDays(1), 12, true, 2), (changed[1].ValidFrom, changed[1].Beds, changed[1].IsCurrent, changed[1].Version));
        Assert.Equal(opened.WardSk, wards.KeyAt("W1", Start));
        Assert.Equal(changed[1].WardSk, wards.KeyAt("W1", Start.AddDays(2)));
        Assert.Single(wards.Rows, r => r.IsCurrent);
    }

    [Fact]
    public void A_ward_history_reloaded_from_its_rows_needs_no_change()
    {
        var wards = new WardDimension([]);
        wards.Reconcile(Layout(beds: 10), Start);
        wards.Reconcile(Layout(beds: 12), Start.AddDays(1));

        Assert.Empty(new WardDimension(wards.Rows).Reconcile(Layout(beds: 12), Start.AddDays(2)));
    }

    private static HospitalLayout Layout(int beds) =>
        new([new HospitalDefinition("H", "Hospital", [new WardDefinition("W1", "Ward one", "Medicine", beds)])]);
}
