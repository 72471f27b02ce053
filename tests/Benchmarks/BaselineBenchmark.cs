using System.Diagnostics;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Benchmarks;

/// <param name="EventsApplied">Silver events the rules accepted: what the engine's <c>events_applied</c> must reach.</param>
internal sealed record BaselineResult(double EventsPerSecond, long EventsApplied, long EventsRejected, int Patients, long ParquetBytes);

/// <summary>
/// The reference every throughput figure is divided by (ARCHITECTURE.md, performance budget): one thread, no Orleans,
/// no broker, no disk. For each message: decode and apply the real Silver rules (<see cref="PatientIntake"/>: decoder,
/// cleansing, timeline) to a <c>Dictionary&lt;string, PatientState&gt;</c>, then encode the accepted event as a
/// Silver-like Parquet row in memory. The broker records are built before the clock starts.
/// </summary>
internal static class BaselineBenchmark
{
    public static async Task<BaselineResult> RunAsync(SimulatedEventSet events)
    {
        var appendedAt = DateTime.UtcNow;
        var records = events.Messages.Select((m, i) => new BrokerRecord(PatientFlowStreams.DefaultTopic, 0, i, appendedAt, m.Key, m.Value)).ToArray();
        var intake = new PatientIntake(
            new PatientFlowDecoder(),
            new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)),
            Options.Create(new PatientGrainOptions()));
        var patients = new Dictionary<string, PatientState>(StringComparer.Ordinal);

        var watch = Stopwatch.StartNew();
        await using var parquet = await SilverParquetEncoder.CreateAsync();
        foreach (var record in records)
        {
            var patientId = record.Key!;
            if (!patients.TryGetValue(patientId, out var state))
            {
                state = new PatientState();
                patients.Add(patientId, state);
            }

            if (intake.Apply(state, patientId, record).Changed && FindApplied(state, record) is { } applied)
            {
                await parquet.AddAsync(applied, patientId, record.AppendedAtUtc);
            }
        }

        var parquetBytes = await parquet.CompleteAsync();
        watch.Stop();
        return new BaselineResult(
            records.Length / watch.Elapsed.TotalSeconds,
            patients.Values.Sum(p => (long)p.EventsApplied),
            patients.Values.Sum(p => (long)p.EventsRejected),
            patients.Count,
            parquetBytes);
    }

    /// <summary>The Silver event a record just added: usually the last of the timeline, earlier when it arrived late.</summary>
    private static CleanEvent? FindApplied(PatientState state, BrokerRecord record)
    {
        var timeline = state.Timeline.Events;
        for (var i = timeline.Count - 1; i >= 0; i--)
        {
            if (timeline[i].Position.Offset == record.Offset && timeline[i].Position.Partition == record.Partition)
            {
                return timeline[i];
            }
        }

        return null;
    }
}
