using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.DuckDb;
using HealthcareOrleans.Warehouse.Model;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;
using static HealthcareOrleans.Warehouse.Tests.Infrastructure.GoldRows;
using static HealthcareOrleans.Warehouse.Tests.Infrastructure.WarehouseQueries;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>The embedded warehouse loads real Gold Delta tables (written with the Lake library from GoldSchemas).</summary>
public sealed class DuckDbLoadTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly GoldLake _gold;
    private readonly DuckDbWarehouseLoader _loader;

    public DuckDbLoadTests()
    {
        _gold = new GoldLake(new LocalLakeStorage(Path.Combine(_temp.Path, "lake")));
        _loader = new DuckDbWarehouseLoader(Path.Combine(_temp.Path, "warehouse.duckdb"));
    }

    [Fact]
    public async Task Warehouse_row_counts_equal_the_Gold_Delta_tables_after_a_load()
    {
        await VolumeScenario.WriteAsync(_gold, patients: 3_000, commits: 3);

        var result = await _loader.LoadAsync(_gold.Storage);

        Assert.Empty(result.Missing);
        foreach (var table in WarehouseSchema.All)
        {
            var goldRows = await _gold.RowCountAsync(table.Name);
            Assert.True(goldRows > 0, table.Name);
            Assert.Equal(goldRows, await RowsAsync(_loader.Path, table.Name));
            Assert.Equal(goldRows, result[table.Name].Inserted);
        }
    }

    [Fact]
    public async Task Loading_the_same_Gold_version_again_changes_nothing()
    {
        await VolumeScenario.WriteAsync(_gold, patients: 500, commits: 2);
        await _loader.LoadAsync(_gold.Storage);
        var before = await Snapshot();

        var again = await _loader.LoadAsync(_gold.Storage);

        Assert.All(again.Tables, t => Assert.True(t.Skipped, t.Table));
        Assert.False(again.Changed);
        Assert.Equal(before, await Snapshot());
    }

    [Fact]
    public async Task An_SCD2_change_closes_exactly_one_row_and_opens_one()
    {
        await HandCheckedScenario.WriteAsync(_gold);
        await _loader.LoadAsync(_gold.Storage);
        var change = At("2026-03-11T08:00:00Z");

        // P2 changes payer: Gold closes version 1 and opens version 2 in one commit.
        await _gold.UpsertAsync("dim_patient",
        [
            Patient("P2", HandCheckedScenario.P2Since, change, 1, "insurer", "M", "70-79"),
            Patient("P2", change, OpenEnd, 2, "self", "M", "70-79"),
        ]);
        var result = await _loader.LoadAsync(_gold.Storage);

        var patients = result["dim_patient"];
        Assert.False(patients.Skipped);
        Assert.Equal((1L, 1L, 0L, 0L), (patients.Closed, patients.Inserted, patients.Updated, patients.Deleted));
        Assert.Equal(5, await RowsAsync(_loader.Path, "dim_patient"));
        Assert.Equal(3, await CountAsync(_loader.Path, "SELECT COUNT(*) FROM dw.dim_patient WHERE is_current"));
        var p2 = await QueryAsync(_loader.Path, "SELECT version, payer, is_current, valid_to FROM dw.dim_patient WHERE patient_id = 'P2' ORDER BY version");
        Assert.Equal([1, "insurer", false, change.UtcDateTime], p2[0]);
        Assert.Equal([2, "self", true, OpenEnd.UtcDateTime], p2[1]);
        Assert.All(result.Tables.Where(t => t.Table != "dim_patient"), t => Assert.True(t.Skipped, t.Table));
    }

    [Fact]
    public async Task Rows_Gold_deleted_are_deleted_and_changed_facts_are_updated_by_natural_key()
    {
        await HandCheckedScenario.WriteAsync(_gold);
        await _loader.LoadAsync(_gold.Storage);

        // P3's encounter is cancelled (its stay goes); P2 is discharged (its open stay closes).
        await _gold.DeleteAsync("fact_ward_stay", r => (string)r["encounter_id"]! == "E3");
        await _gold.UpsertAsync("fact_ward_stay", [Stay("P2", HandCheckedScenario.P2Since, "E2", "MED", At("2026-03-10T14:00:00Z"), At("2026-03-13T14:00:00Z"), "transfer", "discharge")]);
        var result = await _loader.LoadAsync(_gold.Storage);

        var stays = result["fact_ward_stay"];
        Assert.Equal((1L, 1L, 0L), (stays.Deleted, stays.Updated, stays.Inserted));
        Assert.Equal(0, await CountAsync(_loader.Path, "SELECT COUNT(*) FROM dw.fact_ward_stay WHERE encounter_id = 'E3'"));
        Assert.Equal(72.0, (double)(await QueryAsync(_loader.Path, "SELECT length_of_stay_hours FROM dw.fact_ward_stay WHERE encounter_id = 'E2' AND ward_id = 'MED'")).Single()[0]!);
        Assert.Equal(await _gold.RowCountAsync("fact_ward_stay"), await RowsAsync(_loader.Path, "fact_ward_stay"));
    }

    [Fact]
    public async Task The_Appender_path_stages_the_same_rows_as_read_parquet()
    {
        await HandCheckedScenario.WriteAsync(_gold);
        await _loader.LoadAsync(_gold.Storage);
        using var viaAppender = new DuckDbWarehouseLoader(Path.Combine(_temp.Path, "appender.duckdb"));

        // A storage that is not LocalLakeStorage takes the path Azure Blob lakes take.
        await viaAppender.LoadAsync(new NotLocalLakeStorage(_gold.Storage));

        foreach (var table in WarehouseSchema.All)
        {
            var order = string.Join(", ", table.NaturalKey);
            Assert.Equal(await QueryAsync(_loader.Path, $"SELECT * FROM dw.{table.Name} ORDER BY {order}"), await QueryAsync(viaAppender.Path, $"SELECT * FROM dw.{table.Name} ORDER BY {order}"));
        }

        Assert.Equal(["appender"], (await QueryAsync(viaAppender.Path, "SELECT DISTINCT load_path FROM etl.load_log")).Select(r => r[0]));
        Assert.Equal(["read_parquet"], (await QueryAsync(_loader.Path, "SELECT DISTINCT load_path FROM etl.load_log")).Select(r => r[0]));
    }

    [Fact]
    public async Task A_rebuilt_lake_is_loaded_again_although_its_versions_start_over()
    {
        await VolumeScenario.WriteAsync(_gold, patients: 200, commits: 4);
        await _loader.LoadAsync(_gold.Storage);
        Directory.Delete(Path.Combine(_temp.Path, "lake"), recursive: true);

        // The new tables are at lower versions than the log records, but they are other Delta tables (new metaData id).
        await HandCheckedScenario.WriteAsync(_gold);
        var result = await _loader.LoadAsync(_gold.Storage);

        Assert.All(result.Tables, t => Assert.False(t.Skipped, t.Table));
        Assert.Equal(3, await RowsAsync(_loader.Path, "fact_encounter"));
        Assert.Equal(4, await RowsAsync(_loader.Path, "dim_patient"));
    }

    [Fact]
    public async Task Tables_Gold_has_not_written_yet_are_reported_missing_and_the_others_load()
    {
        await _gold.AppendAsync("dim_ward", [Ward("ED", "Emergency", "emergency", 4)]);

        var result = await _loader.LoadAsync(_gold.Storage);

        Assert.Equal(["dim_ward"], result.Tables.Select(t => t.Table));
        Assert.Equal(5, result.Missing.Count);
        Assert.Equal(1, await RowsAsync(_loader.Path, "dim_ward"));
    }

    /// <summary>Row count and a digest of every row of every table, and the load log's length.</summary>
    private async Task<List<string>> Snapshot()
    {
        List<string> state = [];
        foreach (var table in WarehouseSchema.All)
        {
            var row = (await QueryAsync(_loader.Path, $"SELECT COUNT(*), md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))) FROM dw.{table.Name} AS t")).Single();
            state.Add($"{table.Name}: {row[0]} rows, {row[1]}");
        }

        state.Add($"load_log: {await CountAsync(_loader.Path, "SELECT COUNT(*) FROM etl.load_log")}");
        return state;
    }

    public void Dispose()
    {
        _loader.Dispose();
        _temp.Dispose();
    }
}
