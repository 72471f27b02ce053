using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Grains.Persistence;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Grains.Wards;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>What a state looks like after storage: round trips, versions, clearing, file names and layouts.</summary>
public sealed class LocalFileGrainStorageTests : LocalFileGrainStorageTestBase
{
    [Fact]
    public async Task A_grain_never_written_reads_as_a_new_state()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 99 });

        await Storage.ReadStateAsync("patient", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State.Count);
    }

    [Fact]
    public async Task Written_state_reads_back_equal_through_the_Orleans_serializer()
    {
        var written = new TestGrainState<CounterState>(new CounterState { Count = 7, Note = "Ünïcode ✓", Seen = [At(0), At(90)] });
        await Storage.WriteStateAsync("patient", Grain, written);

        var read = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(7, read.State.Count);
        Assert.Equal("Ünïcode ✓", read.State.Note);
        Assert.Equal([At(0), At(90)], read.State.Seen);
    }

    [Fact]
    public async Task A_patients_state_survivesStorage_with_its_projection_intact()
    {
        var timeline = Timeline(
            Arrival("a", 0, attributes: Attributes("F", "65-79", "SW1A", "Nhs")), Admit("b", 60, "RGH-AMU", "AMU-1"),
            Update("u", 100, Attributes(payer: "Private")), Transfer("c", 200, "RGH-CAR"), Discharge("d", 900),
            Admit("b2", 2000, "RGH-SRG", encounter: "E-2"));
        timeline.Compact(PatientId, maxEvents: 1, maxRememberedIds: 10);
        var original = new PatientState
        {
            Timeline = timeline, EventsApplied = 6, EventsRejected = 2,
            SentFacts = [.. timeline.Project(PatientId).Facts],
            SentPlacement = new PlacementSnapshot("RGH-SRG", Contracts.Wards.WardPresence.Present, null, At(2000), 3, "E-2"),
        };
        await Storage.WriteStateAsync("patient", Grain, new TestGrainState<PatientState>(original));

        var read = new TestGrainState<PatientState>(new PatientState());
        await Storage.ReadStateAsync("patient", Grain, read);

        var restored = read.State;
        Assert.Equal(Snapshot.Of(timeline.Project(PatientId)), Snapshot.Of(restored.Timeline.Project(PatientId)));
        Assert.Equal(timeline.Horizon, restored.Timeline.Horizon);
        Assert.Equal(timeline.CompactedEventIds, restored.Timeline.CompactedEventIds);
        Assert.Equal(original.SentFacts, restored.SentFacts);
        Assert.Equal(original.SentPlacement, restored.SentPlacement);
        Assert.Equal((6, 2), (restored.EventsApplied, restored.EventsRejected));
        Assert.Equal(HealthcareOrleans.Grains.Silver.TimelineOutcome.Duplicate, restored.Timeline.Insert(Arrival("a", 0), PatientId));
    }

    [Fact]
    public async Task A_wards_ledger_survivesStorage()
    {
        var ledger = new WardLedger();
        ledger.Apply(new Contracts.Wards.WardUpdate("P-1", "E-1", Contracts.Wards.WardPresence.Present, "AMU-1", At(0), 2,
            [new Contracts.Wards.WardFlowFact("b", Contracts.Wards.WardFlowKind.Admission, At(0), false)]));
        await Storage.WriteStateAsync("ward", Grain, new TestGrainState<WardLedger>(ledger));

        var read = new TestGrainState<WardLedger>(new WardLedger());
        await Storage.ReadStateAsync("ward", Grain, read);

        var ward = Contracts.Hospital.HospitalLayout.Default.Wards.First();
        Assert.Equal(ledger.ToCensus(ward, "RGH", true) with { LastHours = [], Occupants = [] }, read.State.ToCensus(ward, "RGH", true) with { LastHours = [], Occupants = [] });
        Assert.Equal(ledger.ToCensus(ward, "RGH", true).LastHours, read.State.ToCensus(ward, "RGH", true).LastHours);
        Assert.Equal(ledger.ToCensus(ward, "RGH", true).Occupants, read.State.ToCensus(ward, "RGH", true).Occupants);
        // The fact is still known: sending it again counts nothing twice.
        read.State.Apply(new Contracts.Wards.WardUpdate("P-1", "E-1", Contracts.Wards.WardPresence.Present, "AMU-1", At(0), 2,
            [new Contracts.Wards.WardFlowFact("b", Contracts.Wards.WardFlowKind.Admission, At(0), false)]));
        Assert.Equal(1, read.State.ToCensus(ward, "RGH", false).AdmissionsToday);
    }

    [Fact]
    public async Task Every_write_increments_the_ETag()
    {
        var state = new TestGrainState<CounterState>(new CounterState());

        await Storage.WriteStateAsync("patient", Grain, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);
        await Storage.WriteStateAsync("patient", Grain, state);
        await Storage.WriteStateAsync("patient", Grain, state);

        Assert.Equal("3", state.ETag);
        var read = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_refused_and_changes_nothing()
    {
        var first = new TestGrainState<CounterState>(new CounterState { Count = 1 });
        await Storage.WriteStateAsync("patient", Grain, first);
        var second = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, second);
        second.State.Count = 2;
        await Storage.WriteStateAsync("patient", Grain, second);

        first.State.Count = 3;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("patient", Grain, first));

        Assert.Equal("2", error.StoredEtag);
        Assert.Equal("1", error.CurrentEtag);
        var read = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, read);
        Assert.Equal(2, read.State.Count);
        Assert.Equal("1", first.ETag);
    }

    [Fact]
    public async Task A_first_write_over_existing_state_is_refused()
    {
        await Storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));
    }

    [Fact]
    public async Task A_write_expecting_state_that_is_gone_is_refused()
    {
        var state = new TestGrainState<CounterState>(new CounterState()) { ETag = "4" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("patient", Grain, state));
    }

    [Fact]
    public async Task Clear_deletes_the_state_and_the_next_read_is_new()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 5 });
        await Storage.WriteStateAsync("patient", Grain, state);

        await Storage.ClearStateAsync("patient", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Empty(Files());
        var read = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", Grain, read);
        Assert.False(read.RecordExists);
        await Storage.WriteStateAsync("patient", Grain, state);
        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task After_a_clear_a_stale_activation_is_refused_and_a_new_one_writes_without_reading_first()
    {
        var stale = new TestGrainState<CounterState>(new CounterState { Count = 1 });
        await Storage.WriteStateAsync("patient", Grain, stale);
        var clearing = new TestGrainState<CounterState>(new CounterState()) { ETag = stale.ETag };

        await NewStorage().ClearStateAsync("patient", Grain, clearing);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("patient", Grain, stale));
        await Storage.WriteStateAsync("patient", Grain, clearing);
        Assert.Equal("1", clearing.ETag);
    }

    [Fact]
    public async Task Clearing_a_grain_that_was_never_written_is_harmless()
    {
        var state = new TestGrainState<CounterState>(new CounterState());

        await Storage.ClearStateAsync("patient", Grain, state);

        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task No_temporary_files_are_left_behind()
    {
        var state = new TestGrainState<CounterState>(new CounterState());
        for (var i = 0; i < 5; i++)
        {
            state.State.Count = i;
            await Storage.WriteStateAsync("patient", Grain, state);
        }

        var file = Assert.Single(Files());
        Assert.EndsWith(".state", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_and_small_states_written_in_turn_are_stored_exactly()
    {
        // Write buffers are reused, and a large state's buffer is dropped: neither may leak into another file.
        var serializer = Services.GetRequiredService<Serializer>();
        CounterState[] states = [new() { Note = "small" }, new() { Note = new string('L', 100_000) }, new() { Note = "s" }, new() { Count = 7 }];
        for (var i = 0; i < states.Length; i++)
        {
            await Storage.WriteStateAsync("patient", GrainId.Create("patient", "size-" + i), new TestGrainState<CounterState>(states[i]));
        }

        for (var i = 0; i < states.Length; i++)
        {
            var read = new TestGrainState<CounterState>(new CounterState());
            await Storage.ReadStateAsync("patient", GrainId.Create("patient", "size-" + i), read);
            Assert.Equal((states[i].Count, states[i].Note), (read.State.Count, read.State.Note));
            var file = Files().Single(f => Path.GetFileName(f) == $"size-{i}.state");
            Assert.Equal(8 + serializer.SerializeToArray(states[i]).Length, new FileInfo(file).Length);
        }
    }

    [Fact]
    public async Task A_plain_key_keeps_its_name_on_disk()
    {
        await Storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()));

        Assert.Equal("P-1001.state", Path.GetFileName(Assert.Single(Files())));
    }

    public static TheoryData<string> OddKeys() => new()
    {
        "ward/../../etc/passwd",
        "a\\b",
        "..",
        ".hidden",
        "pätient-中文-🙂",
        "with space",
        "con",
        "P:1|2*3?",
        new string('k', 101),
        new string('x', 2000),
        "line\nbreak",
    };

    [Theory]
    [MemberData(nameof(OddKeys))]
    public async Task Odd_keys_map_to_safe_file_names_inside_theRoot(string key)
    {
        var grain = GrainId.Create("patient", key);
        var state = new TestGrainState<CounterState>(new CounterState { Note = key });

        await Storage.WriteStateAsync("patient", grain, state);
        var read = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", grain, read);

        Assert.Equal(key, read.State.Note);
        var file = Assert.Single(Files());
        var rootPrefix = Path.GetFullPath(Root) + Path.DirectorySeparatorChar;
        Assert.StartsWith(rootPrefix, Path.GetFullPath(file), StringComparison.Ordinal);
        var name = Path.GetFileNameWithoutExtension(file);
        Assert.True(name.Length <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.'), name);
        Assert.Equal(FirstLayoutPath("patient", grain), Path.GetFullPath(file));
    }

    [Theory]
    [InlineData("P-1001")]
    [InlineData("with space")]
    public async Task A_state_file_in_the_first_layout_reads_and_its_version_is_enforced(string key)
    {
        // As written before the storage learned to remember versions: no write of this process has seen it.
        var grain = GrainId.Create("patient", key);
        var path = FirstLayoutPath("patient", grain);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var payload = Services.GetRequiredService<Serializer>().SerializeToArray(new CounterState { Count = 41, Note = "old" });
        await File.WriteAllBytesAsync(path, [.. BitConverter.GetBytes(7L), .. payload]);

        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("patient", grain, new TestGrainState<CounterState>(new CounterState())));
        Assert.Equal("7", stale.StoredEtag);

        var read = new TestGrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("patient", grain, read);
        Assert.Equal(("7", 41, "old"), (read.ETag, read.State.Count, read.State.Note));
        read.State.Count = 42;
        await Storage.WriteStateAsync("patient", grain, read);
        Assert.Equal("8", read.ETag);
        // And what it writes now is that layout byte for byte, so an older build still reads it.
        var rewritten = await File.ReadAllBytesAsync(path);
        Assert.Equal(8L, BitConverter.ToInt64(rewritten, 0));
        Assert.Equal(Services.GetRequiredService<Serializer>().SerializeToArray(read.State), rewritten[8..]);
    }

    [Fact]
    public async Task Keys_that_differ_get_different_files()
    {
        string[] keys = ["a/b", "a_b", "a\\b", new string('z', 101), new string('z', 102)];
        foreach (var key in keys)
        {
            await Storage.WriteStateAsync("patient", GrainId.Create("patient", key), new TestGrainState<CounterState>(new CounterState { Note = key }));
        }

        Assert.Equal(keys.Length, Files().Length);
    }

    [Fact]
    public async Task State_names_and_grain_types_do_not_share_files()
    {
        await Storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 1 }));
        await Storage.WriteStateAsync("other", Grain, new TestGrainState<CounterState>(new CounterState { Count = 2 }));
        await Storage.WriteStateAsync("patient", GrainId.Create("ward", "P-1001"), new TestGrainState<CounterState>(new CounterState { Count = 3 }));

        Assert.Equal(3, Files().Length);
    }

    [Fact]
    public async Task A_truncated_state_file_is_reported_with_what_to_do()
    {
        await Storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()));
        await File.WriteAllBytesAsync(Assert.Single(Files()), [1, 2, 3]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Storage.ReadStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));
        Assert.Contains("delete it", error.Message, StringComparison.Ordinal);
    }
}
