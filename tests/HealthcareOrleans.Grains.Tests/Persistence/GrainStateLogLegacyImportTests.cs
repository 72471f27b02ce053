using System.Security.Cryptography;
using System.Text;
using HealthcareOrleans.Persistence.GrainStateLog;

namespace HealthcareOrleans.Grains.Tests.Persistence;

/// <summary>The one-time import of the per-grain files earlier versions wrote, so an upgrade keeps every patient.</summary>
public sealed class GrainStateLogLegacyImportTests : GrainStateLogTestBase
{
    /// <summary>Not a safe file name: the per-grain storage named its file by the key's hash.</summary>
    private static readonly GrainId UnsafeKeyGrain = GrainId.Create("patient", "with space/and ü");

    private static readonly GrainId Ward = GrainId.Create("ward", "W-7");

    private string LegacyFolder => Path.Combine(Root, StorageName);

    [Fact]
    public async Task States_in_the_per_grain_layout_are_imported_once_and_the_old_folder_is_set_aside()
    {
        var legacy = LegacyStorage();
        var safe = new TestGrainState<CounterState>(new CounterState { Count = 1, Note = "safe" });
        await legacy.WriteStateAsync("patient", Grain, safe);
        safe.State.Count = 2;
        await legacy.WriteStateAsync("patient", Grain, safe);
        await legacy.WriteStateAsync("patient", UnsafeKeyGrain, new TestGrainState<CounterState>(new CounterState { Count = 3, Note = "unsafe" }));
        await legacy.WriteStateAsync("ward", Ward, new TestGrainState<CounterState>(new CounterState { Count = 4, Note = "ward" }));
        var legacyFiles = RelativeFiles(LegacyFolder);
        Assert.Contains(Path.Combine("patient", "patient", FolderByte("P-1001"), "P-1001.state"), legacyFiles);
        Assert.Contains(Path.Combine("patient", "patient", FolderByte("with space/and ü"), HashName("with space/and ü")), legacyFiles);
        Assert.Equal(3, legacyFiles.Length);

        var storage = OpenStorage();

        await AssertImportedAndWritable(storage);
        Assert.Equal(3, storage.Log.Count);
        Assert.False(Directory.Exists(LegacyFolder));
        var aside = Assert.Single(Directory.GetDirectories(Root, StorageName + ".imported-*"));
        Assert.Matches(@"^patients\.imported-\d{14}$", Path.GetFileName(aside));
        Assert.Equal(legacyFiles, RelativeFiles(aside));

        // An imported state carries on under the ETag it reads with, and the next open imports nothing again.
        var read = await Read(storage, Grain);
        read.State.Count = 5;
        await storage.WriteStateAsync("patient", Grain, read);
        var reopened = Reopen(storage);
        Assert.Equal(5, (await Read(reopened, Grain)).State.Count);
        Assert.Equal(3, reopened.Log.Count);
        Assert.Equal(aside, Assert.Single(Directory.GetDirectories(Root, StorageName + ".imported-*")));
        Assert.Equal(legacyFiles, RelativeFiles(aside));
    }

    [Fact]
    public async Task An_import_stopped_before_the_folder_was_set_aside_keeps_what_the_log_has_since()
    {
        await LegacyStorage().WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 1, Note = "old" }));
        await LegacyStorage().WriteStateAsync("patient", UnsafeKeyGrain, new TestGrainState<CounterState>(new CounterState { Count = 3, Note = "unsafe" }));
        var storage = OpenStorage();
        var read = await Read(storage, Grain);
        read.State = new CounterState { Count = 2, Note = "new" };
        await storage.WriteStateAsync("patient", Grain, read);
        Close(storage);
        // As if the process had died between the import's writes and the rename.
        Directory.Move(Assert.Single(Directory.GetDirectories(Root, StorageName + ".imported-*")), LegacyFolder);

        var reopened = OpenStorage();

        var again = await Read(reopened, Grain);
        Assert.Equal((read.ETag, 2, "new"), (again.ETag, again.State.Count, again.State.Note));
        Assert.Equal(3, (await Read(reopened, UnsafeKeyGrain)).State.Count);
        Assert.False(Directory.Exists(LegacyFolder));
    }

    [Fact]
    public async Task Files_other_than_states_are_left_as_they_are_and_set_aside_with_the_folder()
    {
        await LegacyStorage().WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 1 }));
        var stateFile = Path.Combine(LegacyFolder, "patient", "patient", FolderByte("P-1001"), "P-1001.state");
        // A note by the operator, and the temporary file of a write the old storage never renamed into place.
        await File.WriteAllTextAsync(Path.Combine(LegacyFolder, "README.txt"), "backup of 2025-03-04");
        await File.WriteAllBytesAsync(stateFile + ".4242.tmp", [1, 2, 3]);

        var storage = OpenStorage();

        Assert.Equal(1, (await Read(storage, Grain)).State.Count);
        Assert.Equal(1, storage.Log.Count);
        var aside = Assert.Single(Directory.GetDirectories(Root, StorageName + ".imported-*"));
        Assert.Equal("backup of 2025-03-04", await File.ReadAllTextAsync(Path.Combine(aside, "README.txt")));
        Assert.True(File.Exists(Path.Combine(aside, "patient", "patient", FolderByte("P-1001"), "P-1001.state.4242.tmp")));
    }

    [Theory]
    [InlineData("P-1001.state")]
    [InlineData("patient/P-1001.state")]
    [InlineData("patient/patient/P-1001.state")]
    [InlineData("patient/patient/18/extra/P-1001.state")]
    [InlineData("patient/patient/00/P-1001.state")]
    [InlineData("patient/patient/zz/P-1001.state")]
    [InlineData("patient/patient/18/a7bc000000000000000000000000000000000000000000000000000000000000.state")]
    public async Task A_state_file_where_the_layout_puts_none_stops_the_import_and_stays_where_it_is(string misplaced)
    {
        Assert.Equal("18", FolderByte("P-1001"));
        await LegacyStorage().WriteStateAsync("patient", UnsafeKeyGrain, new TestGrainState<CounterState>(new CounterState { Count = 3 }));
        var path = Path.Combine([LegacyFolder, .. misplaced.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, [.. BitConverter.GetBytes(1L), .. Serializer.SerializeToArray(new CounterState { Count = 1 })]);
        var before = RelativeFiles(LegacyFolder);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => OpenStorage().ReadStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, RelativeFiles(LegacyFolder));
        Assert.Empty(Directory.GetDirectories(Root, StorageName + ".imported-*"));
    }

    [Fact]
    public async Task A_truncated_state_file_stops_the_import()
    {
        await LegacyStorage().WriteStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState { Count = 1 }));
        var stateFile = Path.Combine(LegacyFolder, "patient", "patient", FolderByte("P-1001"), "P-1001.state");
        await File.WriteAllBytesAsync(stateFile, [1, 2, 3]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => OpenStorage().ReadStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));

        Assert.Contains(stateFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(LegacyFolder));
    }

    [Fact]
    public async Task A_failed_import_does_not_keep_the_log_open_once_its_storage_is_disposed()
    {
        var misplaced = Path.Combine(LegacyFolder, "patient", "P-1001.state");
        Directory.CreateDirectory(Path.GetDirectoryName(misplaced)!);
        await File.WriteAllBytesAsync(misplaced, [.. BitConverter.GetBytes(1L), .. Serializer.SerializeToArray(new CounterState { Count = 1 })]);
        var storage = OpenStorage();
        await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadStateAsync("patient", Grain, new TestGrainState<CounterState>(new CounterState())));

        Close(storage);

        // Nothing of this process holds the folder any more: the lock is free.
        new FileStream(LockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose();
    }

    [Fact]
    public async Task Without_a_per_grain_folder_nothing_is_imported_or_set_aside()
    {
        var storage = OpenStorage();

        await Write(storage, Grain, 1);

        Assert.Equal(1, storage.Log.Count);
        Assert.Equal(LogFolder, Assert.Single(Directory.GetDirectories(Root)));
    }

    private async Task AssertImportedAndWritable(GrainStateLogStorage storage)
    {
        var safe = await Read(storage, Grain);
        Assert.Equal((true, 2, "safe"), (safe.RecordExists, safe.State.Count, safe.State.Note));
        var hashed = await Read(storage, UnsafeKeyGrain);
        Assert.Equal((true, 3, "unsafe"), (hashed.RecordExists, hashed.State.Count, hashed.State.Note));
        var ward = await Read(storage, Ward, "ward");
        Assert.Equal((true, 4, "ward"), (ward.RecordExists, ward.State.Count, ward.State.Note));

        // The ETag each reads with is the version the log holds: a write with it succeeds, one without is stale.
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => Write(storage, UnsafeKeyGrain, 0));
        hashed.State.Count = 30;
        await storage.WriteStateAsync("patient", UnsafeKeyGrain, hashed);
        Assert.Equal(30, (await Read(storage, UnsafeKeyGrain)).State.Count);
    }

    private LegacyStateFileWriter LegacyStorage() => new(Root, StorageName, Serializer);

    private static string[] RelativeFiles(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];

    private static string FolderByte(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 1));

    private static string HashName(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".state";
}
