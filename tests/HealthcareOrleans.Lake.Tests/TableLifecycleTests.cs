using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Maintenance;
using HealthcareOrleans.Lake.Partitioning;
using HealthcareOrleans.Lake.Tests.Infrastructure;

namespace HealthcareOrleans.Lake.Tests;

[Collection(LakeStorageCollection.Name)]
public sealed class TableLifecycleTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_replayed_batch_with_an_already_committed_application_version_is_skipped(string kind)
    {
        var storage = await StorageAsync(kind);
        var table = await DeltaTable.CreateAsync(storage, "bronze/raw", Tables.EventsByDay());
        DeltaWriteOptions offsets(long last) => new() { ApplicationId = "patient-flow/2", ApplicationVersion = last };

        Assert.True((await table.AppendAsync(Tables.EventBatch(1, 5), offsets(104))).Committed);
        var replay = await table.AppendAsync(Tables.EventBatch(1, 5), offsets(104));
        var stale = await DeltaTable.OpenAsync(storage, "bronze/raw");
        await table.AppendAsync(Tables.EventBatch(6, 5), offsets(109));
        var replayThroughStaleInstance = await stale.AppendAsync(Tables.EventBatch(6, 5), offsets(109));

        Assert.False(replay.Committed);
        Assert.False(replayThroughStaleInstance.Committed);
        Assert.Equal(109, (await DeltaTable.OpenAsync(storage, "bronze/raw")).GetTransactionVersion("patient-flow/2"));
        Assert.Null(table.GetTransactionVersion("patient-flow/3"));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), Tables.Ids(await stale.ReadAsync()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Time_travel_returns_the_state_at_a_version_and_at_a_time_between_two_commits(string kind)
    {
        var storage = await StorageAsync(kind);
        var table = await DeltaTable.CreateAsync(storage, "silver/events", Tables.EventsUnpartitioned());
        await table.AppendAsync(Tables.EventBatch(1, 3));
        await table.DeleteWhereAsync(r => r.Get<long?>("id") == 2);
        await table.AppendAsync(Tables.EventBatch(10, 1));

        Assert.Equal(new long[] { 1, 2, 3 }, Tables.Ids(await table.ReadAsync(await table.GetSnapshotAsync(1))));
        Assert.Equal(new long[] { 1, 3 }, Tables.Ids(await table.ReadAsync(await table.GetSnapshotAsync(2))));
        var history = await table.HistoryAsync();
        Assert.Equal(["WRITE", "DELETE", "WRITE", "CREATE TABLE"], history.Select(h => h.Operation));
        var v1 = history.Single(h => h.Version == 1).Timestamp;
        var v2 = history.Single(h => h.Version == 2).Timestamp;
        Assert.True(v1 < v2);
        var between = v1 + ((v2 - v1) / 2);
        Assert.Equal(1, (await table.GetSnapshotAtAsync(between)).Version);
        Assert.Equal(3, (await table.GetSnapshotAtAsync(history[0].Timestamp)).Version);
    }

    [Fact]
    public async Task A_crash_between_writing_data_files_and_committing_leaves_the_table_at_its_last_version_until_vacuum_removes_the_orphan()
    {
        var storage = await StorageAsync("local");
        ManualClock clock = new(DateTimeOffset.UtcNow);
        var table = await DeltaTable.CreateAsync(storage, "bronze/raw", Tables.EventsByDay(), new DeltaTableOptions { TimeProvider = clock });
        await table.AppendAsync(Tables.EventBatch(1, 3));
        // What a writer leaves when it dies after uploading its Parquet file and before its commit.
        var orphan = "bronze/raw/day=2026-11-25/part-00000-crashed-c000.snappy.parquet";
        await storage.WriteAsync(orphan, await storage.ReadAsync("bronze/raw/" + PartitionPath.FromUri(table.Snapshot.ActiveFiles.Single().Path)));

        var reopened = await DeltaTable.OpenAsync(storage, "bronze/raw", new DeltaTableOptions { TimeProvider = clock });
        Assert.Equal(1, reopened.Version);
        Assert.Equal(new long[] { 1, 2, 3 }, Tables.Ids(await reopened.ReadAsync()));

        var tooEarly = await reopened.VacuumAsync();
        Assert.Empty(tooEarly.DeletedFiles);
        clock.Advance(TimeSpan.FromHours(169));
        var later = await reopened.VacuumAsync();

        Assert.Equal(["day=2026-11-25/part-00000-crashed-c000.snappy.parquet"], later.DeletedFiles);
        Assert.Null(await storage.GetInfoAsync(orphan));
        Assert.Equal(new long[] { 1, 2, 3 }, Tables.Ids(await reopened.ReadAsync()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Compaction_rewrites_small_files_without_changing_data_and_older_versions_stay_readable_until_vacuum(string kind)
    {
        var storage = await StorageAsync(kind);
        ManualClock clock = new(DateTimeOffset.UtcNow);
        var options = new DeltaTableOptions { TimeProvider = clock };
        var table = await DeltaTable.CreateAsync(storage, "bronze/raw", Tables.EventsByDay(), options);
        for (var i = 0; i < 4; i++)
        {
            await table.AppendAsync(Tables.EventBatch(i * 10, 10, new DateOnly(2026, 11, 24 + (i % 2))));
        }

        var result = await table.OptimizeAsync();

        Assert.True(result.Committed);
        Assert.Equal(4, result.FilesRemoved);
        Assert.Equal(2, result.FilesAdded);
        Assert.Equal(2, table.Snapshot.ActiveFiles.Count);
        var expected = Enumerable.Range(0, 40).Select(i => (long)i);
        Assert.Equal(expected, Tables.Ids(await table.ReadAsync()));
        Assert.Equal(expected, Tables.Ids(await table.ReadAsync(await table.GetSnapshotAsync(4))));
        var history = await table.HistoryAsync(limit: 1);
        Assert.Equal("OPTIMIZE", history[0].Operation);
        Assert.False(history[0].IsBlindAppend);

        Assert.Empty((await table.VacuumAsync()).DeletedFiles);
        clock.Advance(TimeSpan.FromHours(200));
        var vacuum = await table.VacuumAsync();
        Assert.Equal(4, vacuum.DeletedFiles.Count);
        Assert.Equal(expected, Tables.Ids(await table.ReadAsync()));
        await Assert.ThrowsAsync<DeltaException>(async () => await table.ReadAsync(await table.GetSnapshotAsync(4)));
    }

    [Fact]
    public async Task Vacuum_refuses_a_retention_shorter_than_the_table_allows()
    {
        var table = await DeltaTable.CreateAsync(await StorageAsync("local"), "t", Tables.EventsUnpartitioned());

        var error = await Assert.ThrowsAsync<DeltaException>(() => table.VacuumAsync(new VacuumOptions { Retention = TimeSpan.FromHours(1) }));

        Assert.Contains("shorter than the table's 168 h", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Upsert_replaces_rows_with_the_same_key_and_inserts_the_others_in_one_commit(string kind)
    {
        var storage = await StorageAsync(kind);
        var table = await DeltaTable.CreateAsync(storage, "gold/dim_ward", Tables.EventsUnpartitioned());
        await table.AppendAsync(Tables.EventBatch(1, 5, ward: "old"));
        await table.AppendAsync(Tables.EventBatch(100, 5, ward: "untouched"));

        var result = await table.UpsertAsync(Tables.EventBatch(4, 4, ward: "new"), ["id"]);

        Assert.Equal(1, result.RemovedFiles);
        var rows = (await table.ReadAsync()).Rows.ToDictionary(r => r.Get<long?>("id")!.Value, r => r.Get<string?>("ward"));
        Assert.Equal(12, rows.Count);
        Assert.Equal("old", rows[3]);
        Assert.Equal("new", rows[4]);
        Assert.Equal("new", rows[7]);
        Assert.Equal("untouched", rows[100]);
        await Assert.ThrowsAsync<DeltaException>(() => table.UpsertAsync(Tables.EventBatch(1, 1).Take([0, 0]), ["id"]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Checkpoints_are_written_every_interval_and_a_reader_starts_from_the_latest_one(string kind)
    {
        var storage = await StorageAsync(kind);
        var table = await DeltaTable.CreateAsync(storage, "bronze/raw", Tables.EventsByDay());
        for (var i = 0; i < 12; i++)
        {
            await table.AppendAsync(Tables.EventBatch(i * 2, 2), new DeltaWriteOptions { ApplicationId = "p/0", ApplicationVersion = i });
        }

        Assert.NotNull(await storage.GetInfoAsync("bronze/raw/_delta_log/00000000000000000010.checkpoint.parquet"));
        Assert.Null(await storage.GetInfoAsync("bronze/raw/_delta_log/00000000000000000011.checkpoint.parquet"));
        Assert.Contains("\"version\":10", System.Text.Encoding.UTF8.GetString(await storage.ReadAsync("bronze/raw/_delta_log/_last_checkpoint")));
        // Without the commits the checkpoint covers, the table must still open: proof the reader starts from the checkpoint.
        for (var v = 0; v <= 10; v++)
        {
            await storage.DeleteAsync($"bronze/raw/_delta_log/{v:D20}.json");
        }

        var reopened = await DeltaTable.OpenAsync(storage, "bronze/raw");
        Assert.Equal(12, reopened.Version);
        Assert.Equal(11, reopened.GetTransactionVersion("p/0"));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)i), Tables.Ids(await reopened.ReadAsync()));
    }

    [Fact]
    public async Task An_append_only_table_refuses_deletes()
    {
        var table = await DeltaTable.CreateAsync(await StorageAsync("local"), "t", Tables.EventsUnpartitioned(new Dictionary<string, string> { [TableProperties.AppendOnly] = "true" }));
        await table.AppendAsync(Tables.EventBatch(1, 2));

        var error = await Assert.ThrowsAsync<DeltaException>(() => table.DeleteWhereAsync(_ => true));

        Assert.Contains("append-only", error.Message);
    }

    [Fact]
    public async Task Partition_folders_are_hive_style_with_the_default_partition_for_null()
    {
        var storage = await StorageAsync("local");
        var table = await DeltaTable.CreateAsync(storage, "t", Tables.EventsByDay());
        var batch = new DeltaBatch(DeltaColumn.Long("id", [1, 2]), DeltaColumn.String("ward", ["a", "b"]), DeltaColumn.Date("day", [new DateOnly(2026, 11, 25), null]));

        await table.AppendAsync(batch);

        var paths = table.Snapshot.ActiveFiles.Select(f => f.Path.Split('/')[0]).Order();
        Assert.Equal(["day=2026-11-25", "day=__HIVE_DEFAULT_PARTITION__"], paths);
        Assert.Contains(table.Snapshot.ActiveFiles, f => f.PartitionValues["day"] is null);
        Assert.Equal(2, (await DeltaTable.OpenAsync(storage, "t")).Snapshot.RowCount);
        Assert.Equal(["t"], await LakeCatalog.ListTablesAsync(storage));
    }
}
