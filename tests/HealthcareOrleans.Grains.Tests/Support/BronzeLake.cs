using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Rebuild;
using HealthcareOrleans.PatientFlow.Silver;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Tests.Support;

/// <summary>
/// A lake in a temporary folder whose Bronze table is written by hand (one commit per <see cref="AppendAsync"/>, with
/// the partition's txn like the Bronze writer), and the Silver flush run over it as the silo runs it.
/// </summary>
internal sealed class BronzeLake : IDisposable
{
    public const string Topic = "patient-flow";
    public static readonly DateTime AppendedAt = new(2025, 3, 20, 12, 0, 0, DateTimeKind.Utc);

    private readonly Dictionary<(string Source, int Partition), long> _nextOffset = [];

    public BronzeLake()
    {
        Root = Directory.CreateTempSubdirectory("hc-bronze-lake-").FullName;
        Storage = new LocalLakeStorage(Root);
    }

    public string Root { get; }

    public LocalLakeStorage Storage { get; }

    public List<BrokerRecord> Records { get; } = [];

    public static PatientIntake Intake(int maxRetainedEvents = 64, PatientFlowDecoder? decoder = null) => new(
        decoder ?? new PatientFlowDecoder(), new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)),
        Options.Create(new PatientGrainOptions { MaxRetainedEvents = maxRetainedEvents }));

    /// <summary>Appends one Bronze commit; each message is (key, JSON, partition).</summary>
    public Task AppendAsync(string source, params (string? Key, string Json, int Partition)[] messages) =>
        AppendAsync(source, new LakeOptions().BronzeMaxPayloadBytes, messages);

    /// <summary>Appends one Bronze commit as the Bronze writer does with <c>Lake:BronzeMaxPayloadBytes</c> set to <paramref name="maxPayloadBytes"/>.</summary>
    public async Task AppendAsync(string source, int maxPayloadBytes, params (string? Key, string Json, int Partition)[] messages)
    {
        var bronze = await DeltaTable.OpenOrCreateAsync(Storage, BronzeTable.Path, BronzeTable.Definition);
        foreach (var group in messages.GroupBy(m => m.Partition))
        {
            var rows = new List<BronzeRow>();
            foreach (var (key, json, partition) in group)
            {
                var offset = _nextOffset.GetValueOrDefault((source, partition));
                _nextOffset[(source, partition)] = offset + 1;
                var record = new BrokerRecord(Topic, partition, offset, AppendedAt, key, System.Text.Encoding.UTF8.GetBytes(json));
                Records.Add(record);
                rows.Add(new BronzeRow(record, new DateTimeOffset(AppendedAt)));
            }

            await bronze.AppendAsync(BronzeTable.ToBatch(source, rows, maxPayloadBytes), new DeltaWriteOptions
            {
                ApplicationId = $"{source}/{Topic}/{group.Key}",
                ApplicationVersion = rows[^1].Offset,
            });
        }
    }

    public SilverLakeFlusher Flusher(int maxRetainedEvents = 64)
    {
        var options = Options.Create(new LakeOptions { Root = Root });
        return new SilverLakeFlusher(Storage, new SilverRecordTransformer(new PatientFlowDecoder(), Intake(maxRetainedEvents)),
            new LakeHousekeeping(options, TimeProvider.System, NullLogger<LakeHousekeeping>.Instance), options, TimeProvider.System,
            NullLogger<SilverLakeFlusher>.Instance);
    }

    public static async Task DrainAsync(SilverLakeFlusher flusher)
    {
        while ((await flusher.FlushAsync(CancellationToken.None)).Any(s => s.Pending > 0))
        {
        }
    }

    public async Task<DeltaBatch> ReadAsync(string table) => await (await DeltaTable.OpenAsync(Storage, table)).ReadAsync();

    /// <summary>The grains' path: every record through the patient intake, one thread, partition-offset order.</summary>
    /// <returns>The replay and every event it applied, as <c>patient/event_id</c>.</returns>
    public (PatientReplay Replay, List<string> Applied) ReplayThroughGrainRules(int maxRetainedEvents = 64)
    {
        var replay = new PatientReplay(Intake(maxRetainedEvents), new PatientFlowDecoder());
        List<string> applied = [];
        foreach (var record in Records.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            var outcome = replay.Apply(record);
            applied.AddRange(outcome.Outcome.Accepted.Select(a => $"{outcome.PatientId}/{a.Event.EventId}"));
        }

        return (replay, applied);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
