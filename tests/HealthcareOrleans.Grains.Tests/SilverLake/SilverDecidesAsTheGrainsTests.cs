using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Maintenance;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.SilverLake;
using static HealthcareOrleans.Grains.Tests.Support.AdtJson;

namespace HealthcareOrleans.Grains.Tests.SilverLake;

/// <summary>
/// Guarantee 5 for the rules where Silver and the grains used to disagree: the Silver flush over a hand-written Bronze
/// table must keep exactly the events the grains' intake applies and quarantine exactly what it refuses, with the
/// figures each scenario implies by construction.
/// </summary>
public sealed class SilverDecidesAsTheGrainsTests : IDisposable
{
    private readonly BronzeLake _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task A_transfer_dated_before_the_compacted_history_is_too_late_in_quarantine_and_absent_from_Silver()
    {
        // 25 encounters of three events each: 75 events, more than the 64 a patient keeps, so the oldest are compacted.
        var messages = new List<(string?, string, int)>();
        for (var k = 0; k < 25; k++)
        {
            var at = k * 12;
            messages.Add(("P-LATE", Event($"a{k}", "ADMIT", at, "P-LATE", $"E{k}", "RGH-AMU"), 1));
            messages.Add(("P-LATE", Event($"t{k}", "TRANSFER", at + 2, "P-LATE", $"E{k}", "RGH-CAR"), 1));
            messages.Add(("P-LATE", Event($"d{k}", "DISCHARGE", at + 4, "P-LATE", $"E{k}"), 1));
        }

        await _lake.AppendAsync("run-1", [.. messages]);
        await _lake.AppendAsync("run-1", ("P-LATE", Event("late-transfer", "TRANSFER", 1, "P-LATE", "E0", "RGH-ICU"), 1));
        await BronzeLake.DrainAsync(_lake.Flusher());

        var events = await _lake.ReadAsync(SilverEventsTable.Path);
        var quarantine = await _lake.ReadAsync(QuarantineTable.Path);
        Assert.Equal(75, events.RowCount);
        Assert.DoesNotContain("late-transfer", Strings(events, SilverEventsTable.EventId));
        Assert.Equal([RejectionReasons.TooLate], Strings(quarantine, QuarantineTable.Reason));
        await AssertSilverIsTheGrainsAsync();
    }

    [Fact]
    public async Task An_event_id_sent_again_with_another_date_stays_one_Silver_row_and_is_quarantined_as_conflicting()
    {
        await _lake.AppendAsync("run-1", ("P-1", Event("e-1", "ADMIT", 0, "P-1", "E-1", "RGH-AMU"), 0));
        await BronzeLake.DrainAsync(_lake.Flusher());
        await _lake.AppendAsync("run-1",
            ("P-1", Event("e-1", "ADMIT", 0, "P-1", "E-1", "RGH-AMU"), 0),
            ("P-1", Event("e-1", "ADMIT", 50, "P-1", "E-1", "RGH-AMU"), 0));
        await BronzeLake.DrainAsync(_lake.Flusher());

        var events = await _lake.ReadAsync(SilverEventsTable.Path);
        var quarantine = await _lake.ReadAsync(QuarantineTable.Path);
        Assert.Equal(["e-1"], Strings(events, SilverEventsTable.EventId));
        Assert.Equal([RejectionReasons.ConflictingDuplicate], Strings(quarantine, QuarantineTable.Reason));
        Assert.Equal([2L], quarantine.Column<long?>("source_offset"));
        await AssertSilverIsTheGrainsAsync();
    }

    [Fact]
    public async Task One_event_id_used_by_two_patients_is_an_event_of_each_in_Silver_as_in_the_grains()
    {
        await _lake.AppendAsync("run-1",
            ("P-A", Event("shared", "ADMIT", 0, "P-A", "EA", "RGH-AMU"), 0),
            ("P-B", Event("shared", "ADMIT", 3, "P-B", "EB", "RGH-CAR"), 2));
        await BronzeLake.DrainAsync(_lake.Flusher());

        var events = await _lake.ReadAsync(SilverEventsTable.Path);
        Assert.Equal(["P-A", "P-B"], Strings(events, "patient_id").Order());
        Assert.Equal(0, (await _lake.ReadAsync(QuarantineTable.Path)).RowCount);
        await AssertSilverIsTheGrainsAsync();
    }

    [Fact]
    public async Task A_discharge_dated_before_its_admission_is_impossible_time_and_the_encounter_keeps_its_wait()
    {
        await _lake.AppendAsync("run-1",
            ("P-W", Event("arr", "ARRIVAL", 0, "P-W", "E-W", "RGH-ED"), 3),
            ("P-W", Event("adm", "ADMIT", 101, "P-W", "E-W", "RGH-AMU"), 3),
            ("P-W", Event("bogus", "DISCHARGE", 93, "P-W", "E-W"), 3),
            ("P-W", Event("dis", "DISCHARGE", 150, "P-W", "E-W"), 3),
            // The encounter id again after its discharge: the rule is the same, an encounter cannot start after it ended.
            ("P-W", Event("again", "ADMIT", 200, "P-W", "E-W", "RGH-AMU"), 3));
        await BronzeLake.DrainAsync(_lake.Flusher());

        var quarantine = await _lake.ReadAsync(QuarantineTable.Path);
        Assert.Equal(["impossible_time:occurred_at", "impossible_time:occurred_at"], Strings(quarantine, QuarantineTable.Reason));
        Assert.Equal(["arr", "adm", "dis"], Strings((await _lake.ReadAsync(SilverEventsTable.Path)), SilverEventsTable.EventId));
        var patient = _lake.ReplayThroughGrainRules().Replay.Patients["P-W"].ToView("P-W");
        Assert.Equal(T0, patient.ArrivedAt);
        Assert.Equal(T0.AddHours(101), patient.AdmittedAt);
        Assert.Equal(PatientStatus.Discharged, patient.Status);
        await AssertSilverIsTheGrainsAsync();
    }

    [Fact]
    public async Task A_cancelled_discharge_lets_its_encounter_go_on()
    {
        await _lake.AppendAsync("run-1",
            ("P-C", Event("adm", "ADMIT", 0, "P-C", "E-C", "RGH-AMU"), 1),
            ("P-C", Event("dis", "DISCHARGE", 10, "P-C", "E-C"), 1),
            ("P-C", Event("undo", "CANCEL_DISCHARGE", 11, "P-C", "E-C"), 1),
            ("P-C", Event("move", "TRANSFER", 12, "P-C", "E-C", "RGH-CAR"), 1));
        await BronzeLake.DrainAsync(_lake.Flusher());

        Assert.Equal(4, (await _lake.ReadAsync(SilverEventsTable.Path)).RowCount);
        Assert.Equal(0, (await _lake.ReadAsync(QuarantineTable.Path)).RowCount);
        await AssertSilverIsTheGrainsAsync();
    }

    [Fact]
    public async Task A_restarted_Silver_flush_remembers_what_it_holds_before_deciding_new_records()
    {
        await _lake.AppendAsync("run-1",
            ("P-1", Event("a", "ADMIT", 0, "P-1", "E-1", "RGH-AMU"), 0),
            ("P-2", Event("b", "ARRIVAL", 1, "P-2", "E-2", "RGH-ED"), 1));
        await BronzeLake.DrainAsync(_lake.Flusher());

        // A new flusher (a restart, or the flush grain moving to another silo) must first rebuild its replicas.
        await _lake.AppendAsync("run-1",
            ("P-1", Event("a", "ADMIT", 0, "P-1", "E-1", "RGH-AMU"), 0),
            ("P-1", Event("early", "DISCHARGE", -5, "P-1", "E-1"), 0),
            ("P-2", Event("b", "ARRIVAL", 30, "P-2", "E-2", "RGH-ED"), 1));
        await BronzeLake.DrainAsync(_lake.Flusher());

        Assert.Equal(["a", "b"], Strings((await _lake.ReadAsync(SilverEventsTable.Path)), SilverEventsTable.EventId).Order());
        Assert.Equal(["conflicting_duplicate", "impossible_time:occurred_at"], Strings((await _lake.ReadAsync(QuarantineTable.Path)), QuarantineTable.Reason).Order());
        await AssertSilverIsTheGrainsAsync();
    }

    [Fact]
    public async Task A_restarted_Silver_flush_rebuilds_its_replicas_from_the_live_files_once_Bronze_was_compacted_and_vacuumed()
    {
        await _lake.AppendAsync("run-1", ("P-1", Event("a", "ADMIT", 0, "P-1", "E-1", "RGH-AMU"), 0));
        await _lake.AppendAsync("run-1", ("P-2", Event("b", "ARRIVAL", 1, "P-2", "E-2", "RGH-ED"), 1));
        await BronzeLake.DrainAsync(_lake.Flusher());
        var bronze = await DeltaTable.OpenAsync(_lake.Storage, BronzeTable.Path);
        await bronze.OptimizeAsync();
        await bronze.VacuumAsync(new VacuumOptions { Retention = TimeSpan.Zero, EnforceRetentionCheck = false });

        await _lake.AppendAsync("run-1",
            ("P-1", Event("a", "ADMIT", 9, "P-1", "E-1", "RGH-AMU"), 0),
            ("P-2", Event("b", "ARRIVAL", 1, "P-2", "E-2", "RGH-ED"), 1));
        await BronzeLake.DrainAsync(_lake.Flusher());

        Assert.Equal(["a", "b"], Strings(await _lake.ReadAsync(SilverEventsTable.Path), SilverEventsTable.EventId).Order());
        Assert.Equal([RejectionReasons.ConflictingDuplicate], Strings(await _lake.ReadAsync(QuarantineTable.Path), QuarantineTable.Reason));
    }

    [Fact]
    public async Task Quarantine_rows_of_two_runs_with_equal_partition_and_offset_differ_by_source_id()
    {
        await _lake.AppendAsync("embedded-run-a", ("P-1", "{not json", 0));
        await _lake.AppendAsync("embedded-run-b", ("P-1", "{not json either", 0));
        await BronzeLake.DrainAsync(_lake.Flusher());

        var quarantine = await _lake.ReadAsync(QuarantineTable.Path);
        Assert.Equal([0L, 0L], quarantine.Column<long?>("source_offset"));
        Assert.Equal(["embedded-run-a", "embedded-run-b"], Strings(quarantine, QuarantineTable.SourceId).Order());
    }

    /// <summary>Silver's rows and refusals are what the grains' intake applies and refuses for the same records.</summary>
    private async Task AssertSilverIsTheGrainsAsync()
    {
        var (replay, applied) = _lake.ReplayThroughGrainRules();
        var events = await _lake.ReadAsync(SilverEventsTable.Path);
        var quarantine = await _lake.ReadAsync(QuarantineTable.Path);
        Assert.Equal(applied.Order(StringComparer.Ordinal), Pairs(events).Order(StringComparer.Ordinal));
        Assert.Equal(
            replay.Rejections.SelectMany(r => Enumerable.Repeat(r.Key, (int)r.Value)).Order(StringComparer.Ordinal),
            Strings(quarantine, QuarantineTable.Reason).Order(StringComparer.Ordinal));
    }

    private static List<string> Strings(DeltaBatch batch, string column) => [.. batch.Column<string?>(column).Select(v => v!)];

    private static IEnumerable<string> Pairs(DeltaBatch events) =>
        events.Column<string?>("patient_id").Zip(events.Column<string?>(SilverEventsTable.EventId), (p, e) => $"{p}/{e}");
}
