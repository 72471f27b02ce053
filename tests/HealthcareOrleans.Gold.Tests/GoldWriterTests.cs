using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Gold.Tests.Support;
using HealthcareOrleans.Medallion.Gold;
using static HealthcareOrleans.Gold.Tests.Support.Journey;

namespace HealthcareOrleans.Gold.Tests;

/// <summary>The Gold writer against a real Delta lake on disk: upserts, repeats, restarts.</summary>
public sealed class GoldWriterTests
{
    private static readonly HospitalLayout Layout = HospitalLayout.Default;
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_open_stay_written_by_one_flush_is_closed_by_the_next_leaving_one_row_per_stay()
    {
        using var lake = new TempLake();
        var writer = await GoldWriter.OpenAsync(lake.Storage);
        var patient = new Patient("P-1").Apply(Arrival("a", 0), Admit("b", 30, "RGH-AMU", "AMU-1"));
        await writer.WriteAsync([patient.Rows], Layout, Now);
        var open = await GoldContent.ReadAsync(lake.Storage);

        patient.Apply(Transfer("c", 150, "RGH-CAR"), Discharge("d", 1470));
        await writer.WriteAsync([patient.Rows], Layout, Now);
        var closed = await GoldContent.ReadAsync(lake.Storage);

        var openStay = Assert.Single(open.Rows[LakeTables.GoldFactWardStay]);
        Assert.Contains("is_open=True", openStay, StringComparison.Ordinal);
        Assert.Contains("left_at=null", openStay, StringComparison.Ordinal);
        Assert.Equal(2, closed.Rows[LakeTables.GoldFactWardStay].Count);
        Assert.Single(closed.Rows[LakeTables.GoldFactWardStay], r => r.Contains("ward_id=RGH-AMU", StringComparison.Ordinal) && r.Contains("is_open=False", StringComparison.Ordinal) && r.Contains("length_of_stay_hours=2|", StringComparison.Ordinal));
        var encounter = Assert.Single(closed.Rows[LakeTables.GoldFactEncounter]);
        Assert.Contains("status=discharged", encounter, StringComparison.Ordinal);
        Assert.Contains("length_of_stay_hours=24|", encounter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flush_with_nothing_changed_commits_nothing_and_a_repeated_one_changes_no_row()
    {
        using var lake = new TempLake();
        var writer = await GoldWriter.OpenAsync(lake.Storage);
        var patients = Patients();
        await writer.WriteAsync([.. patients.Select(p => p.Rows)], Layout, Now);
        var first = await GoldContent.ReadAsync(lake.Storage);

        var idle = await writer.WriteAsync([], Layout, Now.AddMinutes(1));
        var afterIdle = await GoldContent.ReadAsync(lake.Storage);
        await writer.WriteAsync([.. patients.Select(p => p.Rows)], Layout, Now.AddMinutes(2));
        var afterRepeat = await GoldContent.ReadAsync(lake.Storage);

        Assert.All(idle, w => Assert.False(w.Committed, w.Table));
        Assert.Equal(first.Versions, afterIdle.Versions);
        Assert.Null(first.FirstDifference(afterRepeat));
        // Only the replaced patient tables take a new version; the hospital-wide ones see no difference.
        Assert.Equal(first.Versions[LakeTables.GoldFactWardCensusHourly], afterRepeat.Versions[LakeTables.GoldFactWardCensusHourly]);
        Assert.Equal(first.Versions[LakeTables.GoldDimDate], afterRepeat.Versions[LakeTables.GoldDimDate]);
        Assert.Equal(first.Versions[LakeTables.GoldDimWard], afterRepeat.Versions[LakeTables.GoldDimWard]);
    }

    [Fact]
    public async Task After_a_restart_the_writer_resumes_from_the_tables_and_the_same_upsert_changes_nothing()
    {
        using var lake = new TempLake();
        var patients = Patients();
        await (await GoldWriter.OpenAsync(lake.Storage)).WriteAsync([.. patients.Select(p => p.Rows)], Layout, Now);
        var before = await GoldContent.ReadAsync(lake.Storage);

        var restarted = await GoldWriter.OpenAsync(lake.Storage);
        var idle = await restarted.WriteAsync([], Layout, Now.AddHours(1));
        await restarted.WriteAsync([.. patients.Select(p => p.Rows)], Layout, Now.AddHours(2));
        var after = await GoldContent.ReadAsync(lake.Storage);

        Assert.All(idle, w => Assert.False(w.Committed, w.Table));
        Assert.Null(before.FirstDifference(after));
    }

    [Fact]
    public async Task A_cancelled_admission_takes_its_stay_out_of_gold()
    {
        using var lake = new TempLake();
        var writer = await GoldWriter.OpenAsync(lake.Storage);
        var patient = new Patient("P-1").Apply(Arrival("a", 0), Admit("b", 30, "RGH-AMU"));
        await writer.WriteAsync([patient.Rows], Layout, Now);

        patient.Apply(Event("x", PatientFlowEventType.CancelAdmit, 40));
        await writer.WriteAsync([patient.Rows], Layout, Now);
        var content = await GoldContent.ReadAsync(lake.Storage);

        Assert.Empty(content.Rows[LakeTables.GoldFactWardStay]);
        Assert.Contains("status=waiting", Assert.Single(content.Rows[LakeTables.GoldFactEncounter]), StringComparison.Ordinal);
        Assert.Empty(content.Rows[LakeTables.GoldFactWardCensusHourly]);
    }

    [Fact]
    public async Task The_rebuild_writes_the_same_rows_as_flushes_that_saw_the_journeys_in_pieces()
    {
        using var streamed = new TempLake();
        using var rebuilt = new TempLake();
        var writer = await GoldWriter.OpenAsync(streamed.Storage);
        var p1 = new Patient("P-1").Apply(Arrival("a", 0, attributes: Attributes("M", "65-79")), Admit("b", 30, "RGH-AMU"));
        var p2 = new Patient("P-2").Apply(Admit("c", 100, "RGH-CAR", encounter: "E-9"));
        await writer.WriteAsync([p1.Rows, p2.Rows], Layout, Now);
        p1.Apply(Transfer("d", 300, "RGH-ICU"), Update("e", 10, Attributes(payer: "Private")));
        await writer.WriteAsync([p1.Rows], Layout, Now);
        p2.Apply(Discharge("f", 2000, encounter: "E-9"));
        await writer.WriteAsync([p2.Rows], Layout, Now);

        await (await GoldWriter.OpenAsync(rebuilt.Storage)).WriteAsync([p1.Rows, p2.Rows], Layout, Now);

        Assert.Null((await GoldContent.ReadAsync(streamed.Storage)).FirstDifference(await GoldContent.ReadAsync(rebuilt.Storage)));
    }

    private static Patient[] Patients() =>
    [
        new Patient("P-1").Apply(Arrival("a", 0, attributes: Attributes("F", "35-49", "SW1A", "Nhs")), Admit("b", 30, "RGH-AMU"), Transfer("c", 150, "RGH-CAR"), Discharge("d", 1470)),
        new Patient("P-2").Apply(Arrival("e", 20, encounter: "E-2"), Discharge("f", 200, encounter: "E-2")),
        new Patient("P-3").Apply(Admit("g", 60, "RGH-SRG", encounter: "E-3")),
    ];
}
