using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.Grains.Persistence;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Grains.Wards;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Persistence;

[GenerateSerializer, Alias("hc.tests.counter-state")]
public sealed class CounterState
{
    [Id(0)] public int Count { get; set; }
    [Id(1)] public string? Note { get; set; }
    [Id(2)] public List<DateTimeOffset> Seen { get; set; } = [];
}

public sealed class LocalFileGrainStorageTests : IDisposable
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly GrainId Grain = GrainId.Create("patient", "P-1001");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "hc-storage-tests-" + Guid.NewGuid().ToString("N"));
    private readonly LocalFileGrainStorage _storage;

    public LocalFileGrainStorageTests()
    {
        _storage = new LocalFileGrainStorage("patients", new LocalFileGrainStorageOptions { RootDirectory = _root, FlushToDisk = false },
            Services.GetRequiredService<Serializer>());
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class TestGrainState<T>(T state) : IGrainState<T>
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = state;
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    private string[] Files() => Directory.Exists(_root) ? Directory.GetFiles(_root, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task A_grain_never_written_reads_as_a_new_state()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 99 });

        await _storage.ReadStateAsync("patient", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State.Count);
    }

    [Fact]
    public async Task Written_state_reads_back_equal_through_the_Orleans_serializer()
    {
        var written = new TestGrainState<CounterState>(new CounterState { Count = 7, Note = "Ünïcode ✓", Seen = [At(0), At(90)] });
        await _storage.WriteStateAsync("patient", Grain, written);

        var read = new TestGrainState<CounterState>(new CounterState());
        await _storage.ReadStateAsync("patient", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(7, read.State.Count);
        Assert.Equal("Ünïcode ✓", read.State.Note);
        Assert.Equal([At(0), At(90)], read.State.Seen);
    }

    [Fact]
    public async Task A_patients_state_survives_storage_with_its_projection_intact()
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
        await _storage.WriteStateAsync("patient", Grain, new TestGrainState<PatientState>(original));

        var read = new TestGrainState<PatientState>(new PatientState());
        await _storage.ReadStateAsync("patient", Grain, read);

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
    public async Task A_wards_ledger_survives_storage()
    {
        var ledger = new WardLedger();
        ledger.Apply(new Contracts.Wards.WardUpdate("P-1", "E-1", Contracts.Wards.WardPresence.Present, "AMU-1", At(0), 2,
            [new Contracts.Wards.WardFlowFact("b", Contracts.Wards.WardFlowKind.Admission, At(0), false)]));
        await _storage.WriteStateAsync("ward", Grain, new TestGrainState<WardLedger>(ledger));

        var read = new TestGrainState<WardLedger>(new WardLedger());
        await _storage.ReadStateAsync("ward", Grain, read);

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

        await _storage.WriteStateAsync("patient", Grain, state);
        Assert.Equal("1", state.ETag);
        Assert.True(state.RecordExists);
        await _storage.WriteStateAsync("patient", Grain, state);
        await _storage.WriteStateAsync("patient", Grain, state);

        Assert.Equal("3", state.ETag);
        var read = new TestGrainState<CounterState>(new CounterState());
        await _storage.ReadStateAsync("patient", Grain, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_ETag_is_refused_and_changes_nothing()
    {
        var first = new TestGrainState<CounterState>(new CounterState { Count = 1 });
        await _storage.WriteStateAsync("patient", Grain, first);
        var second = new TestGrainState<CounterState>(new CounterState());
        await _storage.ReadStateAsync("patient", Grain, second);
        second.State.Count = 2;
        await _storage.WriteStateAsync("patient", Grain, second);

        first.State.Count = 3;
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("patient", Grain, first));

        Assert.Equal("2", error.StoredEtag);
        Assert.Equal("1", error.CurrentEtag);
        var read = new TestGrainState<CounterState>(new CounterState());
        await _storage.ReadStateAsync("patient", Grain, read);
        Assert.Equal(2, read.State.Count);
        Assert.Equal("1", first.ETag);
    }

    [Fact]
    public async Task A_first_write_over_existing_state_is_refused()
    {
        await _storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()));

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));
    }

    [Fact]
    public async Task A_write_expecting_state_that_is_gone_is_refused()
    {
        var state = new TestGrainState<CounterState>(new CounterState()) { ETag = "4" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("patient", Grain, state));
    }

    [Fact]
    public async Task Clear_deletes_the_state_and_the_next_read_is_new()
    {
        var state = new TestGrainState<CounterState>(new CounterState { Count = 5 });
        await _storage.WriteStateAsync("patient", Grain, state);

        await _storage.ClearStateAsync("patient", Grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Empty(Files());
        var read = new TestGrainState<CounterState>(new CounterState());
        await _storage.ReadStateAsync("patient", Grain, read);
        Assert.False(read.RecordExists);
        await _storage.WriteStateAsync("patient", Grain, state);
        Assert.Equal("1", state.ETag);
    }

    [Fact]
    public async Task Clearing_a_grain_that_was_never_written_is_harmless()
    {
        var state = new TestGrainState<CounterState>(new CounterState());

        await _storage.ClearStateAsync("patient", Grain, state);

        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task No_temporary_files_are_left_behind()
    {
        var state = new TestGrainState<CounterState>(new CounterState());
        for (var i = 0; i < 5; i++)
        {
            state.State.Count = i;
            await _storage.WriteStateAsync("patient", Grain, state);
        }

        var file = Assert.Single(Files());
        Assert.EndsWith(".state", file, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_key_keeps_its_name_on_disk()
    {
        await _storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()));

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
    public async Task Odd_keys_map_to_safe_file_names_inside_the_root(string key)
    {
        var grain = GrainId.Create("patient", key);
        var state = new TestGrainState<CounterState>(new CounterState { Note = key });

        await _storage.WriteStateAsync("patient", grain, state);
        var read = new TestGrainState<CounterState>(new CounterState());
        await _storage.ReadStateAsync("patient", grain, read);

        Assert.Equal(key, read.State.Note);
        var file = Assert.Single(Files());
        var rootPrefix = Path.GetFullPath(_root) + Path.DirectorySeparatorChar;
        Assert.StartsWith(rootPrefix, Path.GetFullPath(file), StringComparison.Ordinal);
        var name = Path.GetFileNameWithoutExtension(file);
        Assert.True(name.Length <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.StartsWith('.'), name);
    }

    [Fact]
    public async Task Keys_that_differ_get_different_files()
    {
        string[] keys = ["a/b", "a_b", "a\\b", new string('z', 101), new string('z', 102)];
        foreach (var key in keys)
        {
            await _storage.WriteStateAsync("patient", GrainId.Create("patient", key), new TestGrainState<CounterState>(new CounterState { Note = key }));
        }

        Assert.Equal(keys.Length, Files().Length);
    }

    [Fact]
    public async Task State_names_and_grain_types_do_not_share_files()
    {
        await _storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 1 }));
        await _storage.WriteStateAsync("other", Grain, new TestGrainState<CounterState>(new CounterState { Count = 2 }));
        await _storage.WriteStateAsync("patient", GrainId.Create("ward", "P-1001"), new TestGrainState<CounterState>(new CounterState { Count = 3 }));

        Assert.Equal(3, Files().Length);
    }

    [Fact]
    public async Task A_truncated_state_file_is_reported_with_what_to_do()
    {
        await _storage.WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState()));
        await File.WriteAllBytesAsync(Assert.Single(Files()), [1, 2, 3]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _storage.ReadStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));
        Assert.Contains("delete it", error.Message, StringComparison.Ordinal);
    }
}
