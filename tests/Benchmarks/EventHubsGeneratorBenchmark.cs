using System.Diagnostics;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.Streaming.EventHubs.Hosting;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using HealthcareOrleans.Streaming.EventHubs.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HealthcareOrleans.Benchmarks;

/// <param name="SustainedEventsPerSecond">Slope of events applied between about 10 % and 90 % of the backlog, sampled every 200 ms (as <c>e2e</c> reads the silo's reports).</param>
/// <param name="FromStartEventsPerSecond">Events applied and in Bronze per second of wall time from silo start (start-up included).</param>
/// <param name="CpuCores">This process's CPU time over the run's wall time.</param>
internal sealed record EventHubsGeneratorResult(long Events, TimeSpan Elapsed, double SustainedEventsPerSecond, double FromStartEventsPerSecond, double CpuCores);

/// <summary>
/// The Event Hubs path of the whole pipeline, in this process: Orleans' Event Hubs provider with our data adapter, Bronze
/// tap and Bronze-bounded checkpointer (in Azurite's table), the hub served by the package's generator receivers (no
/// AMQP endpoint here) from four in-memory partitions pre-filled with the backlog, and then what the silo runs behind
/// the ingestion seam: the partition consumers of the batched core, patient and ward grains with state in the local
/// state log (fsync on), Bronze, Silver and Gold. Not included, unlike <c>e2e</c>: the warehouse load and the HTTP API.
/// </summary>
internal static class EventHubsGeneratorBenchmark
{
    private const int Partitions = 4;

    public static async Task<EventHubsGeneratorResult> RunAsync(SimulatedEventSet events, long expectedApplied, string tableConnectionString)
    {
        var hub = Enumerable.Range(0, Partitions).Select(p => new InMemoryHubPartition(p)).ToList();
        foreach (var message in events.Messages)
        {
            hub[PartitionOf(message.Key)].Append(message.Key, message.Value);
        }

        var root = Directory.CreateTempSubdirectory("hc-bench-eventhubs-").FullName;
        var lake = Path.Combine(root, "lake");
        try
        {
            var (cpuBefore, watch) = (ProcessResources.Self().CpuTime, Stopwatch.StartNew());
            using var host = new HostBuilder()
                .UseOrleans(silo =>
                {
                    silo.UseSingleLocalSilo(LoopbackPorts.Free(), LoopbackPorts.Free(), serviceId: "eventhubs-bench-" + Guid.NewGuid().ToString("N")[..8], clusterId: "eventhubs-bench");
                    silo.AddPatientFlowGrains(HospitalLayout.Default);
                    silo.AddLocalGrainStateLog(StorageNames.Patients, Path.Combine(root, "grains"));
                    silo.AddLocalGrainStateLog(StorageNames.Wards, Path.Combine(root, "grains"));
                    silo.AddEventHubsPatientFlowStreams(options =>
                    {
                        options.ConnectionString = "Endpoint=sb://no-amqp-endpoint.invalid/;SharedAccessKeyName=bench;SharedAccessKey=bench";
                        options.EventHub = PatientFlowStreams.DefaultTopic;
                        options.ConsumerGroup = "bench";
                        options.PartitionCount = Partitions;
                        options.SourceId = "eventhubs:bench-" + Guid.NewGuid().ToString("N")[..8];
                        options.CheckpointTableConnectionString = tableConnectionString;
                        options.CheckpointTableName = "benchcp" + Guid.NewGuid().ToString("N")[..8];
                    });
                    silo.Services.AddKeyedSingleton<IEventHubPartitionReceivers>(PatientFlowStreams.ProviderName, new GeneratorPartitionReceivers(hub));
                    silo.Services.AddSingleton<ILakeStorage>(new LocalLakeStorage(lake));
                    silo.AddPatientFlowLake(o => o.Root = lake);
                })
                .Build();
            await host.StartAsync();
            var bronze = host.Services.GetRequiredService<BronzeWriter>();
            var counters = host.Services.GetRequiredService<PipelineCounters>();
            var samples = new List<(TimeSpan At, long Applied)>();
            var timeout = TimeSpan.FromSeconds(60 + (events.Count / 1_000.0));
            while (counters.EventsApplied < expectedApplied || bronze.RowsTotal < events.Count)
            {
                if (watch.Elapsed > timeout)
                {
                    throw new TimeoutException($"{counters.EventsApplied} of {expectedApplied} applied, {bronze.RowsTotal} of {events.Count} in Bronze after {watch.Elapsed.TotalSeconds:N0} s");
                }

                samples.Add((watch.Elapsed, counters.EventsApplied));
                await Task.Delay(200);
            }

            watch.Stop();
            var cpu = ProcessResources.Self().CpuTime - cpuBefore;
            await host.StopAsync();
            return new EventHubsGeneratorResult(expectedApplied, watch.Elapsed, Sustained(samples, expectedApplied), expectedApplied / watch.Elapsed.TotalSeconds, cpu / watch.Elapsed);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Sustained(List<(TimeSpan At, long Applied)> samples, long expected)
    {
        var from = samples.FindIndex(s => s.Applied >= expected * 0.1);
        var to = samples.FindLastIndex(s => s.Applied <= expected * 0.9);
        return from >= 0 && to > from
            ? (samples[to].Applied - samples[from].Applied) / (samples[to].At - samples[from].At).TotalSeconds
            : double.NaN;
    }

    // The producer's partitioner as Event Hubs applies one: the same key always lands on the same partition.
    private static int PartitionOf(string? key)
    {
        var hash = 2166136261u;
        foreach (var c in key ?? string.Empty)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Partitions);
    }
}
