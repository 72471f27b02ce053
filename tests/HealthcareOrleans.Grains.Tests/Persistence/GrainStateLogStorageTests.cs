using HealthcareOrleans.Persistence.GrainStateLog;
using Orleans.Storage;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>What Orleans sees of the log: round trips, versions as ETags, clears, silos sharing a folder, concurrency.</summary>
public sealed class GrainStateLogStorageTests : GrainStateLogTestBase
{
    [Fact]
    public async Task A_grain_never_written_reads_as_a_new_state()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 99 }) { ETag = "7", RecordExists = true };

        await OpenStorage().ReadStateAsync("patient", Grain, state);

        Assert.Equal((false, null, 0), (state.RecordExists, state.ETag, state.State.Count));
    }

    [Fact]
    public async Task Written_state_reads_back_equal_with_its_version_as_the_ETag()
    {
        var storage = OpenStorage();
        var written = new TestGrainState<CounterState>(new CounterState { Count = 7, Note = "Ünïcode ✓", Seen = [At(0), At(90)] });

        await storage.WriteStateAsync("patient", Grain, written);

        Assert.Equal(("1", true), (written.ETag, written.RecordExists));
        var read = await Read(storage, Grain);
        Assert.Equal(("1", true), (read.ETag, read.RecordExists));
        Assert.Equal((7, "Ünïcode ✓"), (read.State.Count, read.State.Note));
        Assert.Equal([At(0), At(90)], read.State.Seen);
    }

    [Fact]
    public async Task Every_write_increases_the_version()
    {
        var storage = OpenStorage();
        var state = new TestGrainState<CounterState>(new CounterState());

        for (var expected = 1; expected <= 3; expected++)
        {
            state.State.Count = expected;
            await storage.WriteStateAsync("patient", Grain, state);
            Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), state.ETag);
        }

        var read = await Read(storage, Grain);
        Assert.Equal(("3", 3), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_refused_and_changes_nothing()
    {
        var storage = OpenStorage();
        var first = await Write(storage, Grain, 1);
        var second = await Read(storage, Grain);
        second.State.Count = 2;
        await storage.WriteStateAsync("patient", Grain, second);

        first.State.Count = 3;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("patient", Grain, first));

        Assert.Equal(("2", "1"), (error.StoredEtag, error.CurrentEtag));
        Assert.Equal("1", first.ETag);
        var read = await Read(storage, Grain);
        Assert.Equal(("2", 2), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task A_first_write_over_existing_state_is_refused()
    {
        var storage = OpenStorage();
        await Write(storage, Grain, 1);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Write(storage, Grain, 2));

        Assert.Equal(("1", null), (error.StoredEtag, error.CurrentEtag));
        Assert.Equal(1, (await Read(storage, Grain)).State.Count);
    }

    [Fact]
    public async Task A_write_expecting_state_that_was_never_written_is_refused()
    {
        var storage = OpenStorage();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Write(storage, Grain, 1, etag: "4"));

        Assert.Equal((null, "4"), (error.StoredEtag, error.CurrentEtag));
        Assert.False((await Read(storage, Grain)).RecordExists);
    }

    [Fact]
    public async Task A_clear_with_a_stale_ETag_is_refused_and_the_state_stays()
    {
        var storage = OpenStorage();
        var stale = await Write(storage, Grain, 1);
        await Write(storage, Grain, 2, etag: "1");

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("patient", Grain, stale));

        Assert.Equal(("2", "1"), (error.StoredEtag, error.CurrentEtag));
        Assert.Equal(("1", true, 1), (stale.ETag, stale.RecordExists, stale.State.Count));
        var read = await Read(storage, Grain);
        Assert.Equal(("2", 2), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task After_a_clear_the_grain_reads_as_absent_and_a_new_activation_writes_without_an_ETag()
    {
        var storage = OpenStorage();
        var state = await Write(storage, Grain, 5);

        await storage.ClearStateAsync("patient", Grain, state);

        Assert.Equal((false, null, 0), (state.RecordExists, state.ETag, state.State.Count));
        var read = await Read(storage, Grain);
        Assert.Equal((false, null, 0), (read.RecordExists, read.ETag, read.State.Count));
        read.State.Count = 6;
        await storage.WriteStateAsync("patient", Grain, read);
        Assert.True(read.RecordExists);
        var reread = await Read(Reopen(storage), Grain);
        Assert.Equal((read.ETag, 6), (reread.ETag, reread.State.Count));
    }

    [Fact]
    public async Task Versions_do_not_restart_after_a_clear_so_an_ETag_from_before_it_stays_stale()
    {
        var storage = OpenStorage();
        var stale = await Write(storage, Grain, 1);
        var clearing = await Read(storage, Grain);
        await storage.ClearStateAsync("patient", Grain, clearing);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("patient", Grain, stale));
        var fresh = await Write(storage, Grain, 2);

        Assert.NotEqual(stale.ETag, fresh.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("patient", Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("patient", Grain, stale));
        // The clear is a record of its own, so the count goes on after a restart too.
        var reopened = Reopen(storage);
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.WriteStateAsync("patient", Grain, stale));
        var read = await Read(reopened, Grain);
        Assert.Equal((fresh.ETag, 2), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task Clearing_a_grain_that_was_never_written_is_harmless()
    {
        var storage = OpenStorage();
        var state = new TestGrainState<CounterState>(new CounterState { Count = 3 });

        await storage.ClearStateAsync("patient", Grain, state);

        Assert.Equal((false, null, 0), (state.RecordExists, state.ETag, state.State.Count));
        Assert.False((await Read(storage, Grain)).RecordExists);
        var written = await Write(storage, Grain, 4);
        var read = await Read(storage, Grain);
        Assert.Equal((written.ETag, 4), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task Two_storages_over_one_root_share_one_log_and_refuse_a_stale_activation()
    {
        // Two silos of an in-process test cluster: one storage instance each, one root.
        var silo1 = OpenStorage();
        var silo2 = OpenStorage();
        Assert.Same(silo1.Log, silo2.Log);
        var first = await Read(silo1, Grain);
        first.State.Count = 1;
        await silo1.WriteStateAsync("patient", Grain, first);

        var second = await Read(silo2, Grain);
        second.State.Count = 2;
        await silo2.WriteStateAsync("patient", Grain, second);

        first.State.Count = 3;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => silo1.WriteStateAsync("patient", Grain, first));
        Assert.Equal(("2", "1"), (error.StoredEtag, error.CurrentEtag));
        var read = await Read(silo1, Grain);
        Assert.Equal(("2", 2), (read.ETag, read.State.Count));

        // One silo stopping leaves the other's log open.
        Close(silo1);
        second.State.Count = 4;
        await silo2.WriteStateAsync("patient", Grain, second);
        Assert.Equal(4, (await Read(silo2, Grain)).State.Count);
    }

    [Fact]
    public async Task Of_two_activations_writing_the_same_version_at_once_exactly_one_succeeds()
    {
        var silo1 = OpenStorage();
        var silo2 = OpenStorage();
        for (var round = 0; round < 100; round++)
        {
            var grain = GrainId.Create("patient", "race-" + round);
            using var start = new Barrier(2);
            var outcomes = await Task.WhenAll(
                Task.Run(() => TryWrite(silo1, grain, start, 1)),
                Task.Run(() => TryWrite(silo2, grain, start, 2)));

            var winner = Assert.Single(outcomes, o => o is not null);
            var read = await Read(silo1, grain);
            Assert.Equal(("1", winner), (read.ETag, read.State.Count));
        }

        static async Task<int?> TryWrite(GrainStateLogStorage storage, GrainId grain, Barrier start, int count)
        {
            start.SignalAndWait();
            try
            {
                await Write(storage, grain, count);
                return count;
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        }
    }

    [Fact]
    public async Task State_names_and_grain_types_are_kept_apart()
    {
        var storage = OpenStorage();
        var ward = GrainId.Create("ward", "P-1001");

        await Write(storage, Grain, 1);
        await Write(storage, Grain, 2, stateName: "other");
        await Write(storage, ward, 3);

        Assert.Equal(1, (await Read(storage, Grain)).State.Count);
        Assert.Equal(2, (await Read(storage, Grain, "other")).State.Count);
        Assert.Equal(3, (await Read(storage, ward)).State.Count);
        Assert.Equal(3, storage.Log.Count);
    }

    [Fact]
    public async Task Keys_that_differ_are_kept_apart_whatever_characters_they_hold()
    {
        var storage = OpenStorage();
        string[] keys = ["a/b", "a_b", "a\\b", "ünï ✓", new string('z', 101), new string('z', 102), "."];
        for (var i = 0; i < keys.Length; i++)
        {
            await Write(storage, GrainId.Create("patient", keys[i]), i, note: keys[i]);
        }

        var reopened = Reopen(storage);
        for (var i = 0; i < keys.Length; i++)
        {
            var read = await Read(reopened, GrainId.Create("patient", keys[i]));
            Assert.Equal((i, keys[i]), (read.State.Count, read.State.Note));
        }
    }

    [Fact]
    public async Task Large_and_small_states_written_in_turn_are_stored_exactly()
    {
        // Serialization buffers are reused per thread, and a large state's buffer is dropped: neither may leak into another state.
        var storage = OpenStorage();
        CounterState[] states = [new() { Note = "small" }, new() { Note = new string('L', 100_000) }, new() { Note = "s" }, new() { Count = 7 }];
        for (var i = 0; i < states.Length; i++)
        {
            await storage.WriteStateAsync("patient", GrainId.Create("patient", "size-" + i), new TestGrainState<CounterState>(states[i]));
        }

        var reopened = Reopen(storage);
        for (var i = 0; i < states.Length; i++)
        {
            var read = await Read(reopened, GrainId.Create("patient", "size-" + i));
            Assert.Equal((states[i].Count, states[i].Note), (read.State.Count, read.State.Note));
        }
    }

    [Fact]
    public async Task Thousands_of_concurrent_writes_each_become_one_record_and_survive_a_reopen()
    {
        const int Grains = 2_000;
        const int Rewritten = 500;
        var storage = OpenStorage(flushToDisk: true);

        var firsts = await Task.WhenAll(Enumerable.Range(0, Grains).Select(i => Write(storage, PatientNumber(i), i, note: "first")));
        await Task.WhenAll(firsts.Take(Rewritten).Select((state, i) => Write(storage, PatientNumber(i), -i, etag: state.ETag, note: "second")));
        Close(storage);

        // Grouped into batches, yet no write lost and none written twice.
        var segments = SegmentFilesOnDisk();
        var records = segments.SelectMany(RecordsOf).ToList();
        Assert.Equal(Grains + Rewritten, records.Count);
        Assert.All(segments, segment => Assert.Equal(RecordsOf(segment).Sum(r => (long)r.Length), new FileInfo(segment).Length));
        var reopened = OpenStorage();
        Assert.Equal(Grains, reopened.Log.Count);
        for (var i = 0; i < Grains; i++)
        {
            var read = await Read(reopened, PatientNumber(i));
            var expected = i < Rewritten ? ("2", -i, "second") : ("1", i, "first");
            Assert.Equal(expected, (read.ETag, read.State.Count, read.State.Note));
        }

        static GrainId PatientNumber(int i) => GrainId.Create("patient", "P-" + i);
    }

    [Fact]
    public async Task Writes_still_queued_when_the_storage_is_disposed_are_committed_first()
    {
        var storage = OpenStorage(flushToDisk: true);
        var writes = Enumerable.Range(0, 200).Select(i => Write(storage, GrainId.Create("patient", "Q-" + i), i)).ToList();

        Close(storage);

        await Task.WhenAll(writes);
        var reopened = OpenStorage();
        for (var i = 0; i < writes.Count; i++)
        {
            Assert.Equal(i, (await Read(reopened, GrainId.Create("patient", "Q-" + i))).State.Count);
        }
    }

    [Fact]
    public async Task A_read_of_a_grain_whose_write_is_still_queued_returns_the_queued_state()
    {
        var storage = OpenStorage();
        await Write(storage, Grain, 1);
        Task queued;
        Task queuedBehind;
        Task stale;
        TestGrainState<CounterState> readWhileQueued;
        TestGrainState<CounterState> readWhileTwoQueued;
        using (HoldWriter(storage.Log))
        {
            queued = storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 2 }) { ETag = "1" });
            readWhileQueued = ReadNow(storage, Grain);
            queuedBehind = storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 3 }) { ETag = "2" });
            stale = storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 99 }) { ETag = "1" });
            readWhileTwoQueued = ReadNow(storage, Grain);
            Assert.False(queued.IsCompleted);
            Assert.False(queuedBehind.IsCompleted);
        }

        Assert.Equal((true, "2", 2), (readWhileQueued.RecordExists, readWhileQueued.ETag, readWhileQueued.State.Count));
        Assert.Equal((true, "3", 3), (readWhileTwoQueued.RecordExists, readWhileTwoQueued.ETag, readWhileTwoQueued.State.Count));
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        Assert.Equal(("3", "1"), (refused.StoredEtag, refused.CurrentEtag));
        await queued;
        await queuedBehind;
        var durable = await Read(Reopen(storage), Grain);
        Assert.Equal(("3", 3), (durable.ETag, durable.State.Count));
    }

    [Fact]
    public async Task A_read_of_a_grain_whose_clear_is_still_queued_reads_as_absent()
    {
        var storage = OpenStorage();
        var state = await Write(storage, Grain, 1);
        Task clear;
        Task staleWrite;
        TestGrainState<CounterState> readWhileQueued;
        using (HoldWriter(storage.Log))
        {
            clear = storage.ClearStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()) { ETag = state.ETag });
            readWhileQueued = ReadNow(storage, Grain);
            staleWrite = storage.WriteStateAsync("patient", Grain, state);
            Assert.False(clear.IsCompleted);
        }

        Assert.Equal((false, null, 0), (readWhileQueued.RecordExists, readWhileQueued.ETag, readWhileQueued.State.Count));
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await clear;
        Assert.False((await Read(Reopen(storage), Grain)).RecordExists);
    }

    [Fact]
    public async Task Readers_during_writes_see_a_whole_state_either_the_old_or_the_new()
    {
        const int Versions = 200;
        var storage = OpenStorage();
        var grains = Enumerable.Range(0, 4).Select(i => GrainId.Create("patient", "R-" + i)).ToArray();
        var writers = grains.Select(grain => Task.Run(async () =>
        {
            var state = new TestGrainState<CounterState>(new CounterState());
            for (var version = 1; version <= Versions; version++)
            {
                // Count and note length both say which version this is: a read mixing two states would disagree.
                state.State.Count = version;
                state.State.Note = new string('v', version);
                await storage.WriteStateAsync("patient", grain, state);
            }
        })).ToArray();
        var allWritten = Task.WhenAll(writers);

        // Fewer readers than cores, each yielding between reads: spinning readers would starve the writers' continuations.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var lastSeen = new int[grains.Length];
            bool finalRound;
            do
            {
                finalRound = allWritten.IsCompleted;
                for (var g = 0; g < grains.Length; g++)
                {
                    var read = await Read(storage, grains[g]);
                    var version = read.RecordExists ? int.Parse(read.ETag!, System.Globalization.CultureInfo.InvariantCulture) : 0;
                    Assert.Equal(version, read.State.Count);
                    Assert.Equal(version, read.State.Note?.Length ?? 0);
                    Assert.True(version >= lastSeen[g], $"read version {version} after {lastSeen[g]}");
                    lastSeen[g] = version;
                }

                await Task.Yield();
            }
            while (!finalRound);

            return lastSeen;
        })).ToArray();

        await allWritten;
        Assert.All(await Task.WhenAll(readers), lastSeen => Assert.All(lastSeen, version => Assert.Equal(Versions, version)));
    }

    [Fact]
    public async Task A_state_name_too_long_for_the_log_fails_its_own_write_only()
    {
        var storage = OpenStorage();
        await Write(storage, Grain, 1);
        Task tooLong;
        Task neighbour;
        using (HoldWriter(storage.Log))
        {
            // Queued together, so that they would share a batch.
            tooLong = storage.WriteStateAsync(new string('s', StateLogRecord.MaxFolderBytes + 1), Grain, new TestGrainState<CounterState>(new CounterState()));
            neighbour = storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 2 }) { ETag = "1" });
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => tooLong);
        await neighbour;
        var read = await Read(storage, Grain);
        Assert.Equal(("2", 2), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task Disposing_a_storage_twice_does_not_close_the_log_another_storage_uses()
    {
        // IDisposable allows a second Dispose (a container may call it once per registration of the instance).
        var silo1 = OpenStorage();
        var silo2 = OpenStorage();
        await Write(silo1, Grain, 1);
        Assert.Same(silo1.Log, silo2.Log);

        Close(silo1);
        silo1.Dispose();

        var written = await Write(silo2, Grain, 2, etag: "1");
        Assert.Equal("2", written.ETag);
    }

    /// <summary>A read done on this thread now (the storage reads synchronously), while the test holds the writer.</summary>
    private static TestGrainState<CounterState> ReadNow(GrainStateLogStorage storage, GrainId grain)
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = -1 });
        var reading = storage.ReadStateAsync("patient", grain, state);
        Assert.True(reading.IsCompletedSuccessfully, reading.Exception?.ToString());
        return state;
    }
}
