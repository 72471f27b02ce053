using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Rebuild;
using HealthcareOrleans.Pipeline.Tests.Support;
using HealthcareOrleans.Simulation.Faults;
using Xunit.Abstractions;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>
/// Issue 12, "Build": after a fault-injected run with a graceful stop right after the last events and a kill after
/// the Silver flush, Gold recomputed from Silver by SQL written here (DuckDB over the live Parquet files, listed from
/// the Delta logs by this test) equals the streamed Gold row by row, and a rebuild from Bronze equals the streamed lake
/// table by table.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class GoldConsistencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NoTimerFlush = TimeSpan.FromHours(1);

    [Fact]
    public async Task Gold_recomputed_from_Silver_in_SQL_and_a_rebuild_from_Bronze_both_equal_the_streamed_Gold_after_faults_a_stop_and_a_kill()
    {
        var simulated = await LakeSimulations.GenerateAsync(4_000, seed: 71, new FaultInjectionOptions
        {
            DuplicateRate = 0.02, MalformedJsonRate = 0.01, OutOfOrderRate = 0.02, LateRate = 0.02, UnknownWardRate = 0.01, ImpossibleTimeRate = 0.01,
        });
        var lake = await LakePipelineCluster.StartAsync(goldFlushInterval: NoTimerFlush, durableCheckpoints: true);
        try
        {
            var first = simulated.Take(2_500).AsKafka().Concat(HandMadeCases.All()).ToList();
            var produced = (await lake.ProduceAsync(first)).Count;
            await lake.WaitForGrainsAsync(produced);
            lake = await lake.RestartAsync(gracefully: true, NoTimerFlush, durableCheckpoints: true);

            var rest = (await lake.ProduceAsync(simulated.Skip(2_500).AsKafka())).Count;
            await lake.WaitForGrainsAsync(rest);
            await lake.WaitForSilverAsync(produced + rest, TimeSpan.FromSeconds(90));
            await lake.WaitForCheckpointsAsync(produced + rest);
            lake = await lake.RestartAsync(gracefully: false, NoTimerFlush, durableCheckpoints: true);
            await lake.WaitForSilverAsync(produced + rest, TimeSpan.FromSeconds(90));

            var streamed = new LocalLakeStorage(Path.Combine(lake.Root, "lake"));
            var rebuilt = Directory.CreateTempSubdirectory("hc-gold-consistency-").FullName;
            try
            {
                await new MedallionRebuild(streamed, new LocalLakeStorage(rebuilt), HospitalLayout.Default, TimeProvider.System).RunAsync();
                string? difference = null;
                await Eventually.TrueAsync(async () =>
                {
                    await lake.Grains.GetGrain<ILakeFlushGrain>(LakeLayers.Gold).FlushNowAsync();
                    difference = await RebuildTests.FirstDifferenceAsync(streamed, new LocalLakeStorage(rebuilt));
                    return difference is null;
                }, TimeSpan.FromSeconds(60), () => Task.FromResult(difference ?? string.Empty));
            }
            finally
            {
                Directory.Delete(rebuilt, recursive: true);
            }

            AssertGoldEqualsSilverInSql(Path.Combine(lake.Root, "lake"));
        }
        finally
        {
            await lake.DisposeAsync();
        }
    }

    private void AssertGoldEqualsSilverInSql(string lakeRoot)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        foreach (var (view, table) in new[]
        {
            ("silver_events", LakeTables.SilverPatientFlowEvents), ("gold_dim_patient", LakeTables.GoldDimPatient),
            ("gold_fact_ward_stay", LakeTables.GoldFactWardStay), ("gold_fact_encounter", LakeTables.GoldFactEncounter),
            ("gold_fact_ward_census_hourly", LakeTables.GoldFactWardCensusHourly),
        })
        {
            Execute(db, $"CREATE VIEW {view} AS SELECT * FROM {DeltaLiveFiles.ReadParquet(Path.Combine(lakeRoot, table))}");
        }

        var wards = HospitalLayout.Default.Hospitals.SelectMany(h => h.Wards).Select(w => $"('{w.WardId}', {w.Beds.ToString(CultureInfo.InvariantCulture)})");
        Execute(db, $"CREATE TEMP TABLE layout_wards AS SELECT * FROM (VALUES {string.Join(", ", wards)}) AS w(ward_id, beds)");
        Execute(db, GoldFromSilverSql.Scope);

        var stays = Compare(db, "fact_ward_stay", GoldFromSilverSql.FactWardStay, GoldFromSilverSql.ActualFactWardStay);
        var encounters = Compare(db, "fact_encounter", GoldFromSilverSql.FactEncounter, GoldFromSilverSql.ActualFactEncounter);
        var versions = Compare(db, "dim_patient", GoldFromSilverSql.DimPatient, GoldFromSilverSql.ActualDimPatient);
        var hours = Compare(db, "fact_ward_census_hourly", GoldFromSilverSql.FactWardCensusHourly, GoldFromSilverSql.ActualFactWardCensusHourly);
        output.WriteLine($"recomputed from Silver with 0 mismatches: {stays} stays, {encounters} encounters, {hours} census hours, {versions} patient versions");
        Assert.True(stays > 500 && encounters > 500 && versions > 500 && hours > 1_000, $"{stays} stays, {encounters} encounters, {versions} versions, {hours} hours");

        // The cancel cases, which the SQL leaves out, as the README's rule says they end.
        Assert.Equal(
            ["HM-CD|CD-E|RGH-AMU|open|", "HM-CT|CT-E|RGH-AMU|open|", "HM-DC|DC-E|RGH-AMU|closed|discharge", "HM-LC|LC-E|RGH-AMU|closed|discharge"],
            Rows(db, """
                SELECT dk.patient_id || '|' || encounter_id || '|' || ward_id || '|' || CASE WHEN is_open THEN 'open' ELSE 'closed' END || '|' || coalesce(exit_kind, '')
                FROM gold_fact_ward_stay JOIN (SELECT DISTINCT patient_dk, patient_id FROM gold_dim_patient) dk USING (patient_dk)
                WHERE dk.patient_id IN ('HM-CA', 'HM-CT', 'HM-CD', 'HM-DC', 'HM-LC') ORDER BY 1
                """));
        Assert.Equal(["HM-CA|waiting"], Rows(db, """
                SELECT dk.patient_id || '|' || status FROM gold_fact_encounter JOIN (SELECT DISTINCT patient_dk, patient_id FROM gold_dim_patient) dk USING (patient_dk)
                WHERE dk.patient_id = 'HM-CA'
                """));
    }

    /// <summary>Row-by-row equality (as multisets) of the SQL's rows and Gold's; returns the row count.</summary>
    private static long Compare(DuckDBConnection db, string name, string expected, string actual)
    {
        var missing = Rows(db, $"SELECT * FROM (({expected}) EXCEPT ALL ({actual})) LIMIT 5");
        var extra = Rows(db, $"SELECT * FROM (({actual}) EXCEPT ALL ({expected})) LIMIT 5");
        var count = long.Parse(Rows(db, $"SELECT count(*) FROM ({expected})")[0], CultureInfo.InvariantCulture);
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{name}: {count} rows from Silver; missing in Gold: {string.Join(" ; ", missing)}; only in Gold: {string.Join(" ; ", extra)}");
        Assert.Equal(count, long.Parse(Rows(db, $"SELECT count(*) FROM ({actual})")[0], CultureInfo.InvariantCulture));
        return count;
    }

    private static List<string> Rows(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        List<string> rows = [];
        while (reader.Read())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Append(i == 0 ? string.Empty : " | ").Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            }

            rows.Add(row.ToString());
        }

        return rows;
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
