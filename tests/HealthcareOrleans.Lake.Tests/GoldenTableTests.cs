using System.Text.Json;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Lake.Tests.Infrastructure;

namespace HealthcareOrleans.Lake.Tests;

/// <summary>Reader conformance against the Delta project's golden tables (written by Spark's Delta writer).</summary>
public sealed class GoldenTableTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly LocalLakeStorage _golden = new(RepoPaths.GoldenTables);

    [Theory]
    [InlineData("snapshot-data0", 0, 10)]
    [InlineData("snapshot-data1", 0, 10)]
    [InlineData("snapshot-data1", 1, 20)]
    [InlineData("snapshot-data2", 2, 10)]
    [InlineData("snapshot-data3", 3, 30)]
    public async Task Spark_written_snapshots_read_with_the_expected_row_counts(string table, long version, int rows)
    {
        var delta = await DeltaTable.OpenAsync(_golden, table);
        var read = await delta.ReadAsync(await delta.GetSnapshotAsync(version));

        Assert.Equal(rows, read.RowCount);
        Assert.Equal(["col1", "col2"], read.Columns.Select(c => c.Name));
        Assert.All(read.Column<int?>("col1"), v => Assert.NotNull(v));
    }

    [Fact]
    public async Task A_delete_that_rewrote_files_leaves_twenty_rows()
    {
        var delta = await DeltaTable.OpenAsync(_golden, "snapshot-data2-deleted");

        Assert.Equal(20, (await delta.ReadAsync()).RowCount);
    }

    [Fact]
    public async Task Partition_values_are_typed_and_nulls_come_from_the_hive_default_partition()
    {
        var delta = await DeltaTable.OpenAsync(_golden, "data-reader-partition-values");
        string[] columns = ["as_int", "as_long", "as_byte", "as_short", "as_boolean", "as_float", "as_double", "as_string", "as_string_lit_null", "as_date", "as_timestamp", "as_big_decimal", "value"];

        var read = await delta.ReadAsync(columns: columns);

        Assert.Equal(3, read.RowCount);
        var byValue = read.Rows.ToDictionary(r => (string)r["value"]!);
        Assert.Equal(["0", "1", "2"], byValue.Keys.Order());
        var one = byValue["1"];
        Assert.Equal(1, one["as_int"]);
        Assert.Equal(1L, one["as_long"]);
        Assert.Equal((sbyte)1, one["as_byte"]);
        Assert.Equal((short)1, one["as_short"]);
        Assert.Equal(false, one["as_boolean"]);
        Assert.Equal(1.0f, one["as_float"]);
        Assert.Equal(1.0, one["as_double"]);
        Assert.Equal("1", one["as_string"]);
        Assert.Equal("null", one["as_string_lit_null"]);
        Assert.Equal(new DateOnly(2021, 9, 8), one["as_date"]);
        Assert.Equal(new DateTimeOffset(2021, 9, 8, 11, 11, 11, TimeSpan.Zero), one["as_timestamp"]);
        Assert.Equal(1m, one["as_big_decimal"]);
        var nulls = byValue["2"];
        Assert.All(columns.Where(c => c != "value"), c => Assert.Null(nulls[c]));
    }

    [Fact]
    public async Task Time_travel_by_version_sees_ten_twenty_and_thirty_rows()
    {
        var delta = await DeltaTable.OpenAsync(_golden, "time-travel-start-start20-start40");

        Assert.Equal(10, (await delta.ReadAsync(await delta.GetSnapshotAsync(0))).RowCount);
        Assert.Equal(20, (await delta.ReadAsync(await delta.GetSnapshotAsync(1))).RowCount);
        Assert.Equal(30, (await delta.ReadAsync(await delta.GetSnapshotAsync(2))).RowCount);
    }

    [Fact]
    public async Task Time_travel_by_timestamp_uses_the_commit_file_times()
    {
        var path = RepoPaths.CopyGolden("time-travel-start-start20-start40", _temp);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1540415658000);
        for (var v = 0; v < 3; v++)
        {
            File.SetLastWriteTimeUtc(Path.Combine(path, "_delta_log", $"{v:D20}.json"), start.AddMinutes(20 * v).UtcDateTime);
        }

        var delta = await DeltaTable.OpenAsync(new LocalLakeStorage(_temp.Path), "time-travel-start-start20-start40");

        Assert.Equal(0, (await delta.GetSnapshotAtAsync(start)).Version);
        Assert.Equal(0, (await delta.GetSnapshotAtAsync(start.AddMinutes(19))).Version);
        Assert.Equal(1, (await delta.GetSnapshotAtAsync(start.AddMinutes(20))).Version);
        Assert.Equal(20, (await delta.ReadAsync(await delta.GetSnapshotAtAsync(start.AddMinutes(39)))).RowCount);
        Assert.Equal(30, (await delta.ReadAsync(await delta.GetSnapshotAtAsync(start.AddHours(5)))).RowCount);
        var tooEarly = await Assert.ThrowsAsync<DeltaException>(() => delta.GetSnapshotAtAsync(start.AddMinutes(-1)));
        Assert.Contains("earliest", tooEarly.Message);
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("corrupted-last-checkpoint")]
    public async Task Replay_from_the_checkpoint_gives_the_same_files_as_replaying_every_commit(string table)
    {
        var delta = await DeltaTable.OpenAsync(_golden, table);

        Assert.Equal(ReplayJsonOnly(Path.Combine(RepoPaths.GoldenTables, table, "_delta_log")), delta.Snapshot.ActiveFiles.Select(f => f.Path).Order());
    }

    [Theory]
    [InlineData("{\"version\":10,\"si")]
    [InlineData("{\"version\":99,\"size\":13}")]
    [InlineData("")]
    public async Task A_damaged_last_checkpoint_hint_falls_back_to_listing_the_log(string hint)
    {
        var path = RepoPaths.CopyGolden("corrupted-last-checkpoint", _temp);
        await File.WriteAllTextAsync(Path.Combine(path, "_delta_log", "_last_checkpoint"), hint);

        var delta = await DeltaTable.OpenAsync(new LocalLakeStorage(_temp.Path), "corrupted-last-checkpoint");

        Assert.Equal(10, delta.Version);
        Assert.Equal(ReplayJsonOnly(Path.Combine(path, "_delta_log")), delta.Snapshot.ActiveFiles.Select(f => f.Path).Order());
    }

    [Fact]
    public async Task A_log_with_a_missing_version_is_refused()
    {
        var error = await Assert.ThrowsAsync<DeltaProtocolException>(() => DeltaTable.OpenAsync(_golden, "versions-not-contiguous"));

        Assert.Contains("missing version 1", error.Message);
    }

    [Fact]
    public async Task A_table_needing_reader_version_99_is_refused()
    {
        var error = await Assert.ThrowsAsync<DeltaProtocolException>(() => DeltaTable.OpenAsync(_golden, "deltalog-invalid-protocol-version"));

        Assert.Contains("reader version 99", error.Message);
    }

    [Fact]
    public async Task A_log_without_metadata_is_refused()
    {
        var error = await Assert.ThrowsAsync<DeltaProtocolException>(() => DeltaTable.OpenAsync(_golden, "deltalog-state-reconstruction-without-metadata"));

        Assert.Contains("no metaData", error.Message);
    }

    [Fact]
    public async Task A_file_removed_then_added_again_is_active()
    {
        var delta = await DeltaTable.OpenAsync(_golden, "delete-re-add-same-file-different-transactions");

        Assert.Equal(["bar", "foo"], delta.Snapshot.ActiveFiles.Select(f => f.Path).Order());
        Assert.Equal(1700000000000, delta.Snapshot.ActiveFiles.Single(f => f.Path == "foo").ModificationTime);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>An independent replay of the JSON commits only (ignoring checkpoints): the expected active paths.</summary>
    private static List<string> ReplayJsonOnly(string logFolder)
    {
        HashSet<string> active = [];
        foreach (var file in Directory.EnumerateFiles(logFolder, "*.json").Order())
        {
            foreach (var line in File.ReadAllLines(file).Where(l => l.Length > 0))
            {
                using var action = JsonDocument.Parse(line);
                if (action.RootElement.TryGetProperty("add", out var add))
                {
                    active.Add(add.GetProperty("path").GetString()!);
                }
                else if (action.RootElement.TryGetProperty("remove", out var remove))
                {
                    active.Remove(remove.GetProperty("path").GetString()!);
                }
            }
        }

        return [.. active.Order()];
    }
}
