using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Grains.Persistence;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Grains.Wards;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>What storage guarantees when activations race, the process dies mid-write, or files change behind its back.</summary>
public sealed class LocalFileGrainStorageSafetyTests : LocalFileGrainStorageTestBase
{
    [Fact]
    public async Task A_stale_activation_on_anotherStorage_instance_over_the_same_folder_is_refused()
    {
        // Two silos of an in-process test cluster: one storage instance each, one root.
        var other = NewStorage();
        var first = new TestGrainState<CounterState>(new CounterState { Count = 1 });
        await Storage.ReadStateAsync("patient", Grain, first);
        await Storage.WriteStateAsync("patient", Grain, first);

        var second = new TestGrainState<CounterState>(new CounterState());
        await other.ReadStateAsync("patient", Grain, second);
        second.State.Count = 2;
        await other.WriteStateAsync("patient", Grain, second);

        first.State.Count = 3;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("patient", Grain, first));
        Assert.Equal(("2", "1"), (error.StoredEtag, error.CurrentEtag));
        var alsoStale = new TestGrainState<CounterState>(new CounterState()) { ETag = "1" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => NewStorage().WriteStateAsync("patient", Grain, alsoStale));
        var read = new TestGrainState<CounterState>(new CounterState());
        await NewStorage().ReadStateAsync("patient", Grain, read);
        Assert.Equal(("2", 2), (read.ETag, read.State.Count));
    }

    [Fact]
    public async Task Of_two_activations_writing_the_same_version_at_once_exactly_one_succeeds()
    {
        var other = NewStorage();
        for (var round = 0; round < 100; round++)
        {
            var grain = GrainId.Create("patient", "race-" + round);
            using var start = new Barrier(2);
            var outcomes = await Task.WhenAll(
                Task.Run(() => TryWrite(Storage, grain, start, 1)),
                Task.Run(() => TryWrite(other, grain, start, 2)));

            var winner = Assert.Single(outcomes, o => o is not null);
            var read = new TestGrainState<CounterState>(new CounterState());
            await Storage.ReadStateAsync("patient", grain, read);
            Assert.Equal(("1", winner), (read.ETag, read.State.Count));
        }

        static async Task<int?> TryWrite(LocalFileGrainStorage storage, GrainId grain, Barrier start, int count)
        {
            start.SignalAndWait();
            try
            {
                await storage.WriteStateAsync("patient", grain, new TestGrainState<CounterState>(new CounterState { Count = count }));
                return count;
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        }
    }

    [Fact]
    public async Task A_crash_after_the_temporary_file_is_written_leaves_the_old_state()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 1, Note = "old" });
        await Storage.WriteStateAsync("patient", Grain, state);
        var statePath = Assert.Single(Files());
        var oldBytes = await File.ReadAllBytesAsync(statePath);
        byte[]? complete = null;
        Storage.BeforeRename = temporary =>
        {
            // The new state is whole on disk before it takes the state file's name, which still holds the old one.
            complete = File.ReadAllBytes(temporary);
            Assert.Equal(oldBytes, File.ReadAllBytes(statePath));
            throw new IOException("simulated crash before the rename");
        };

        state.State = new CounterState { Count = 2, Note = new string('n', 5_000) };
        await Assert.ThrowsAsync<IOException>(() => Storage.WriteStateAsync("patient", Grain, state));

        Assert.NotNull(complete);
        Assert.Equal(2L, BitConverter.ToInt64(complete, 0));
        Assert.Equal(2, Services.GetRequiredService<Serializer>().Deserialize<CounterState>(complete.AsSpan(8))?.Count);
        // What a real crash leaves: the temporary file cut short, beside the untouched state file; a restarted
        // process may get the crashed one's id, and so its temporary name.
        var leftover = statePath + "." + Environment.ProcessId + ".tmp";
        await File.WriteAllBytesAsync(leftover, complete[..(complete.Length / 2)]);
        var afterCrash = NewStorage();
        var read = new TestGrainState<CounterState>(new CounterState());
        await afterCrash.ReadStateAsync("patient", Grain, read);
        Assert.Equal(("1", 1, "old"), (read.ETag, read.State.Count, read.State.Note));

        Storage.BeforeRename = null;
        Assert.Equal("1", state.ETag);
        await Storage.WriteStateAsync("patient", Grain, state);
        Assert.Equal("2", state.ETag);
        await afterCrash.ReadStateAsync("patient", Grain, read);
        Assert.Equal(("2", 2), (read.ETag, read.State.Count));
        Assert.Equal(statePath, Assert.Single(Files()));
    }

    [Fact]
    public async Task Reading_states_that_do_not_exist_throws_nothing_and_creates_nothing()
    {
        var thrown = new List<Exception>();
        var inThisTest = new AsyncLocal<bool> { Value = true };
        void Record(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (inThisTest.Value)
            {
                lock (thrown)
                {
                    thrown.Add(e.Exception);
                }
            }
        }

        // Never written, root folder absent; then a written grain's neighbour in the same folders; then cleared.
        AppDomain.CurrentDomain.FirstChanceException += Record;
        try
        {
            var read = new TestGrainState<CounterState>(new CounterState { Count = 9 });
            await Storage.ReadStateAsync("patient", Grain, read);
            Assert.Equal((false, null, 0), (read.RecordExists, read.ETag, read.State.Count));
            Assert.False(Directory.Exists(Root));

            // A grain's first write may create its folder by catching the missing folder; only reads are watched.
            inThisTest.Value = false;
            var written = new TestGrainState<CounterState>(new CounterState { Count = 5 });
            await Storage.WriteStateAsync("patient", Grain, written);
            inThisTest.Value = true;
            await Storage.ReadStateAsync("patient", GrainId.Create("patient", "P-1001-other"), read);
            Assert.False(read.RecordExists);

            inThisTest.Value = false;
            await Storage.ClearStateAsync("patient", Grain, written);
            inThisTest.Value = true;
            read.State.Count = 9;
            await Storage.ReadStateAsync("patient", Grain, read);
            Assert.Equal((false, null, 0), (read.RecordExists, read.ETag, read.State.Count));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Record;
        }

        Assert.Empty(Files());
        Assert.Empty(thrown);
    }

    [Fact]
    public async Task A_state_file_deleted_by_hand_is_noticed_by_the_next_read()
    {
        // The operator's remedy for a damaged file (see the truncated-file message): delete it, reactivate the grain.
        var state = new TestGrainState<CounterState>(new CounterState { Count = 3 });
        await Storage.WriteStateAsync("patient", Grain, state);
        File.Delete(Assert.Single(Files()));

        var reactivated = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, reactivated);
        Assert.False(reactivated.RecordExists);
        await Storage.WriteStateAsync("patient", Grain, reactivated);

        Assert.Equal("1", reactivated.ETag);
    }

    [Fact]
    public async Task A_state_file_replaced_by_hand_with_an_older_version_is_noticed_by_the_next_read()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 1 });
        await Storage.WriteStateAsync("patient", Grain, state);
        var path = Assert.Single(Files());
        var backup = await File.ReadAllBytesAsync(path);
        await Storage.WriteStateAsync("patient", Grain, state);
        await File.WriteAllBytesAsync(path, backup);

        var restored = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, restored);
        Assert.Equal("1", restored.ETag);
        await Storage.WriteStateAsync("patient", Grain, restored);

        Assert.Equal("2", restored.ETag);
    }
}
