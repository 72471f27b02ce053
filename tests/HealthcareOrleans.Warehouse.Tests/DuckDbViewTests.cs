using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.DuckDb;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;
using static HealthcareOrleans.Warehouse.Tests.Infrastructure.WarehouseQueries;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>The ported Power BI views on DuckDB, over <see cref="HandCheckedScenario"/>; expected numbers worked out by hand.</summary>
public sealed class DuckDbViewTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private DuckDbWarehouseLoader _loader = null!;

    public async Task InitializeAsync()
    {
        var gold = new GoldLake(new LocalLakeStorage(Path.Combine(_temp.Path, "lake")));
        await HandCheckedScenario.WriteAsync(gold);
        _loader = new DuckDbWarehouseLoader(Path.Combine(_temp.Path, "warehouse.duckdb"));
        await _loader.LoadAsync(gold.Storage);
    }

    [Fact]
    public async Task Ward_occupancy_now_counts_the_open_stays_against_the_beds()
    {
        var rows = await QueryAsync(_loader.Path, "SELECT ward_id, beds, occupied_beds, free_beds, occupancy_rate FROM vw_ward_occupancy ORDER BY ward_id");

        // ED: everyone left it. MED: P2 is still there (P1 was discharged on 12 Mar).
        Assert.Equal([(object?)"ED", 4, 0L, 4L, 0.0], rows[0]);
        Assert.Equal([(object?)"MED", 2, 1L, 1L, 0.5], rows[1]);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task Hourly_occupancy_joins_the_ward_and_the_date()
    {
        var rows = await QueryAsync(_loader.Path,
            "SELECT CAST(\"date\" AS VARCHAR), \"hour\", ward_name, department, occupancy_at_end, average_occupancy_rate, occupancy_rate_at_end FROM vw_ward_occupancy_hourly ORDER BY hour_start");

        Assert.Equal([(object?)"2026-03-10", 10, "Medicine 1", "medicine", 1, 0.5, 0.5], rows[0]);
        Assert.Equal([(object?)"2026-03-10", 14, "Medicine 1", "medicine", 2, 1.0, 1.0], rows[1]);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task Length_of_stay_by_department_and_month_covers_discharged_inpatients_only()
    {
        var rows = await QueryAsync(_loader.Path,
            "SELECT department, \"year\", \"month\", CAST(month_start AS VARCHAR), discharges, avg_length_of_stay_hours, avg_length_of_stay_days FROM vw_length_of_stay_by_department_month");

        // P1: admitted 10 Mar 10:00, discharged 12 Mar 10:00. P2 is still in; P3 was never admitted.
        Assert.Equal([(object?)"medicine", 2026, 3, "2026-03-01", 1L, 48.0, 2.0], Assert.Single(rows));
    }

    [Fact]
    public async Task Emergency_waiting_time_counts_waits_over_four_hours()
    {
        var rows = await QueryAsync(_loader.Path,
            "SELECT acuity, arrivals, admitted, discharged_from_ed, still_waiting, avg_waiting_time_minutes, waits_over_4_hours FROM vw_emergency_waiting_time WHERE arrival_date = DATE '2026-03-10' ORDER BY acuity");

        Assert.Equal([(object?)2, 1L, 1L, 0L, 0L, 300.0, 1L], rows[0]); // P2: 09:00 → 14:00
        Assert.Equal([(object?)3, 1L, 1L, 0L, 0L, 120.0, 0L], rows[1]); // P1: 08:00 → 10:00
        Assert.Equal([(object?)4, 1L, 0L, 1L, 0L, null, 0L], rows[2]);  // P3: sent home from ED
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task Admissions_and_discharges_trend_counts_each_event_on_its_own_day()
    {
        var rows = await QueryAsync(_loader.Path,
            "SELECT department, CAST(activity_date AS VARCHAR), arrivals, admissions, discharges, net_admissions FROM vw_admissions_discharges_trend ORDER BY activity_date, department");

        Assert.Equal([(object?)"emergency", "2026-03-10", 1L, 0L, 1L, -1L], rows[0]); // P3 in and out
        Assert.Equal([(object?)"medicine", "2026-03-10", 2L, 2L, 0L, 2L], rows[1]);   // P1, P2 admitted
        Assert.Equal([(object?)"medicine", "2026-03-12", 0L, 0L, 1L, -1L], rows[2]);  // P1 discharged
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task Patient_as_of_a_date_picks_the_SCD2_version_in_effect_at_the_end_of_that_day()
    {
        // P1's payer changed on 11 Mar 12:00; P2 and P3 first appear on 10 Mar.
        var tenth = await QueryAsync(_loader.Path, "SELECT a.payer, a.version FROM vw_patient_as_of_date AS a JOIN vw_patient_history AS h USING (patient_sk) WHERE as_of_date = DATE '2026-03-10' AND h.patient_id = 'P1'");
        var eleventh = await QueryAsync(_loader.Path, "SELECT a.payer, a.version FROM vw_patient_as_of_date AS a JOIN vw_patient_history AS h USING (patient_sk) WHERE as_of_date = DATE '2026-03-11' AND h.patient_id = 'P1'");

        Assert.Equal([(object?)"self", 1], Assert.Single(tenth));
        Assert.Equal([(object?)"insurer", 2], Assert.Single(eleventh));
        Assert.Equal(3, await CountAsync(_loader.Path, "SELECT COUNT(*) FROM vw_patient_as_of_date WHERE as_of_date = DATE '2026-03-10'"));
        Assert.Equal(1, await CountAsync(_loader.Path, "SELECT COUNT(*) FROM vw_patient_as_of_date WHERE as_of_date = DATE '2026-03-09'"));
        Assert.Equal(4, await CountAsync(_loader.Path, "SELECT COUNT(*) FROM vw_patient_history"));
    }

    public Task DisposeAsync()
    {
        _loader.Dispose();
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
