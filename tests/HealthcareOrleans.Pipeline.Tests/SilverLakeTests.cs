using System.Text.Json.Nodes;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.Pipeline.Tests.Support;
using HealthcareOrleans.Simulation.Faults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>Guarantees 4 and 5 for Silver: bad input is quarantined with its reason and counted; Silver is a function of Bronze.</summary>
[Collection(PipelineCollection.Name)]
public sealed class SilverLakeTests
{
    [Fact]
    public async Task Injected_faults_land_in_quarantine_by_reason_each_event_once_in_Silver_and_a_rebuild_from_Bronze_is_identical()
    {
        await using var lake = await LakePipelineCluster.StartAsync();
        var messages = await LakeSimulations.GenerateAsync(6_000, seed: 31, new FaultInjectionOptions
        {
            MalformedJsonRate = 0.02, UnknownWardRate = 0.02, ImpossibleTimeRate = 0.02, DuplicateRate = 0.03, OutOfOrderRate = 0.02, LateRate = 0.01,
        });
        var records = await lake.ProduceAsync(messages.AsKafka());
        await lake.WaitForSilverAsync(records.Count, TimeSpan.FromSeconds(90));

        var quarantine = await (await lake.OpenAsync(QuarantineTable.Path)).ReadAsync();
        var codes = quarantine.Column<string?>(QuarantineTable.ReasonCode).GroupBy(c => c!).ToDictionary(g => g.Key, g => g.Count());
        var decoder = new PatientFlowDecoder();
        var stamp = new DateTimeOffset(records[0].AppendedAtUtc, TimeSpan.Zero);
        var futureTimes = messages.Count(m => m.Fault == FaultKind.ImpossibleTime && !decoder.Decode(m.Value, stamp).IsAccepted);
        Assert.Equal(messages.Count(m => m.Fault == FaultKind.MalformedJson), codes.GetValueOrDefault(RejectionReasons.MalformedJson));
        Assert.Equal(messages.Count(m => m.Fault == FaultKind.UnknownWard), codes.GetValueOrDefault(RejectionReasons.UnknownWard));
        Assert.Equal(futureTimes, codes.GetValueOrDefault(RejectionReasons.FutureTimestamp));
        // The other impossible times are discharges dated before their encounter's admission: refused by the timeline.
        var dischargesBeforeAdmission = messages.Count(m => m.Fault == FaultKind.ImpossibleTime && decoder.Decode(m.Value, stamp).IsAccepted);
        Assert.Equal(dischargesBeforeAdmission, codes.GetValueOrDefault(RejectionReasons.ImpossibleTime));
        Assert.True(futureTimes > 0 && dischargesBeforeAdmission > 0 && codes.GetValueOrDefault(RejectionReasons.MalformedJson) > 0 && codes.GetValueOrDefault(RejectionReasons.UnknownWard) > 0, string.Join(", ", codes));

        // The same rules as the grains: the reference replay (the grains' code, one thread) refuses exactly these.
        var reference = new ReferencePipeline();
        reference.ApplyAll(records);
        Assert.Equal(reference.Rejections.Values.Sum(), quarantine.RowCount);
        Assert.Equal(quarantine.RowCount, await GrainsRejectedEventuallyAsync(lake, quarantine.RowCount));

        // Duplicates, out-of-order and late deliveries: each accepted event exactly once.
        var events = await (await lake.OpenAsync(SilverEventsTable.Path)).ReadAsync();
        var ids = events.Column<string?>(SilverEventsTable.EventId);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        var expectedIds = messages
            .Where(m => m.Fault is null or FaultKind.Duplicate or FaultKind.OutOfOrder or FaultKind.Late)
            .Select(m => m.Event!.EventId)
            .ToHashSet();
        Assert.Equal(expectedIds.Order(), ids.Order()!);

        await AssertRebuildIsIdenticalAsync(lake, events, quarantine);
    }

    [Fact]
    public async Task A_new_event_field_becomes_a_nullable_Silver_column_that_older_rows_read_as_null()
    {
        await using var lake = await LakePipelineCluster.StartAsync();
        var messages = await LakeSimulations.GenerateAsync(200, seed: 32);
        var records = await lake.ProduceAsync(messages.Take(150).AsKafka());
        await lake.WaitForSilverAsync(records.Count, TimeSpan.FromSeconds(90));

        var extended = JsonNode.Parse(messages[150].Value)!.AsObject();
        extended["event_id"] = "evt-with-triage-note";
        extended["triage_note"] = new JsonObject { ["text"] = "chest pain", ["by"] = "nurse" };
        records.AddRange(await lake.ProduceAsync([(messages[150].Key, System.Text.Encoding.UTF8.GetBytes(extended.ToJsonString()))]));
        await lake.WaitForSilverAsync(records.Count, TimeSpan.FromSeconds(90));

        var table = await lake.OpenAsync(SilverEventsTable.Path);
        Assert.Contains(table.Schema.Fields, f => f.Name == "x_triage_note" && f.Nullable);
        var rows = await table.ReadAsync(columns: [SilverEventsTable.EventId, "x_triage_note"]);
        var notes = rows.Column<string?>(SilverEventsTable.EventId).Zip(rows.Column<string?>("x_triage_note")).ToDictionary(p => p.First!, p => p.Second);
        Assert.Equal("""{"text":"chest pain","by":"nurse"}""", notes["evt-with-triage-note"]);
        Assert.True(notes.Count > 100);
        Assert.All(notes.Where(n => n.Key != "evt-with-triage-note"), n => Assert.Null(n.Value));
    }

    private static async Task<long> GrainsRejectedEventuallyAsync(LakePipelineCluster lake, long expected)
    {
        long rejected = -1;
        await Eventually.TrueAsync(async () => (rejected = (await lake.Grains.GetGrain<IEngineStatusGrain>(0).GetAsync()).MessagesRejected) == expected,
            TimeSpan.FromSeconds(30), () => Task.FromResult($"the grains rejected {rejected}, Silver quarantined {expected}"));
        return rejected;
    }

    /// <summary>A fresh flusher over a copy of Bronze and an empty Silver produces the same rows as the live one.</summary>
    private static async Task AssertRebuildIsIdenticalAsync(LakePipelineCluster lake, DeltaBatch liveEvents, DeltaBatch liveQuarantine)
    {
        var rebuildRoot = Directory.CreateTempSubdirectory("hc-silver-rebuild-").FullName;
        try
        {
            CopyDirectory(Path.Combine(lake.Root, "lake", BronzeTable.Path), Path.Combine(rebuildRoot, BronzeTable.Path));
            var storage = new LocalLakeStorage(rebuildRoot);
            var options = Options.Create(new LakeOptions { Root = rebuildRoot, SilverMaxBronzeCommitsPerFlush = 7 });
            var flusher = new SilverLakeFlusher(
                storage,
                new SilverRecordTransformer(new PatientFlowDecoder(), new PatientIntake(new PatientFlowDecoder(), new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)), Options.Create(new PatientGrainOptions()))),
                new LakeHousekeeping(options, TimeProvider.System, NullLogger<LakeHousekeeping>.Instance),
                options,
                TimeProvider.System,
                NullLogger<SilverLakeFlusher>.Instance);
            var bronzeVersion = (await DeltaTable.OpenAsync(storage, BronzeTable.Path)).Version;
            IReadOnlyList<Contracts.Lake.FlushStatus> statuses;
            do
            {
                statuses = await flusher.FlushAsync(CancellationToken.None);
            }
            while (statuses.Any(s => s.Pending > 0));

            var events = await (await DeltaTable.OpenAsync(storage, SilverEventsTable.Path)).ReadAsync();
            var quarantine = await (await DeltaTable.OpenAsync(storage, QuarantineTable.Path)).ReadAsync();
            Assert.Equal(bronzeVersion, (await DeltaTable.OpenAsync(storage, SilverEventsTable.Path)).GetTransactionVersion(SilverEventsTable.ApplicationId));
            Assert.Equal(TableRows.Of(liveEvents), TableRows.Of(events));
            Assert.Equal(TableRows.Of(liveQuarantine), TableRows.Of(quarantine));
        }
        finally
        {
            Directory.Delete(rebuildRoot, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
