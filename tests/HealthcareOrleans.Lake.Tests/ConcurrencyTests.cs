using HealthcareOrleans.Lake.Tests.Infrastructure;

namespace HealthcareOrleans.Lake.Tests;

[Collection(LakeStorageCollection.Name)]
public sealed class ConcurrencyTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Four_writers_appending_concurrently_lose_no_rows_and_leave_contiguous_versions(string kind)
    {
        var storage = await StorageAsync(kind);
        await DeltaTable.CreateAsync(storage, "bronze/raw", Tables.EventsByDay());
        var commitsPerWriter = kind == "local" ? 50 : 15;
        const int writers = 4;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var table = await DeltaTable.OpenAsync(storage, "bronze/raw");
            for (var c = 0; c < commitsPerWriter; c++)
            {
                var result = await table.AppendAsync(Tables.EventBatch(((w * 1000) + c) * 10, 10, new DateOnly(2026, 11, 20 + (c % 3))));
                Assert.True(result.Committed);
            }
        })));

        var reader = await DeltaTable.OpenAsync(storage, "bronze/raw");
        var versions = (await reader.HistoryAsync()).Select(h => h.Version).Order().ToList();
        Assert.Equal(writers * commitsPerWriter, reader.Version);
        Assert.Equal(writers * commitsPerWriter * 10, (await reader.ReadAsync()).RowCount);
        Assert.Equal(Enumerable.Range(0, (writers * commitsPerWriter) + 1).Select(v => (long)v), versions);
        var expectedIds = Enumerable.Range(0, writers).SelectMany(w => Enumerable.Range(0, commitsPerWriter).SelectMany(c => Enumerable.Range(((w * 1000) + c) * 10, 10))).Select(i => (long)i).Order();
        Assert.Equal(expectedIds, Tables.Ids(await reader.ReadAsync()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Two_writers_deleting_the_same_rows_cannot_both_commit(string kind)
    {
        var storage = await StorageAsync(kind);
        var first = await DeltaTable.CreateAsync(storage, "gold/fact", Tables.EventsUnpartitioned());
        await first.AppendAsync(Tables.EventBatch(1, 10));
        var second = await DeltaTable.OpenAsync(storage, "gold/fact");

        await first.DeleteWhereAsync(r => r.Get<long?>("id") < 5);
        var error = await Assert.ThrowsAsync<DeltaConcurrentModificationException>(() => second.DeleteWhereAsync(r => r.Get<long?>("id") > 7));

        Assert.Contains("already removed the file", error.Message);
        var state = await DeltaTable.OpenAsync(storage, "gold/fact");
        Assert.Equal(Enumerable.Range(5, 6).Select(i => (long)i), Tables.Ids(await state.ReadAsync()));
    }

    [Fact]
    public async Task An_overwrite_conflicts_with_a_concurrent_append_it_did_not_see()
    {
        var storage = await StorageAsync("local");
        var appender = await DeltaTable.CreateAsync(storage, "t", Tables.EventsUnpartitioned());
        var overwriter = await DeltaTable.OpenAsync(storage, "t");

        await appender.AppendAsync(Tables.EventBatch(1, 3));
        var error = await Assert.ThrowsAsync<DeltaConcurrentModificationException>(() => overwriter.OverwriteAsync(Tables.EventBatch(100, 1)));

        Assert.Contains("added data", error.Message);
    }

    [Fact]
    public async Task A_metadata_change_by_another_writer_makes_a_racing_append_fail_clearly()
    {
        var storage = await StorageAsync("local");
        var evolver = await DeltaTable.CreateAsync(storage, "t", Tables.EventsUnpartitioned());
        var appender = await DeltaTable.OpenAsync(storage, "t");
        var withExtra = new Data.DeltaBatch(Tables.EventBatch(1, 1).Columns.Append(Data.DeltaColumn.Integer("acuity", [3])));

        await evolver.AppendAsync(withExtra, new DeltaWriteOptions { MergeSchema = true });
        var error = await Assert.ThrowsAsync<DeltaConcurrentModificationException>(() => appender.AppendAsync(Tables.EventBatch(2, 1)));

        Assert.Contains("metadata", error.Message);
    }
}
