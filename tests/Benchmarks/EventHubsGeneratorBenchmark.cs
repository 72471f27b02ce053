using System.Diagnostics;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Streaming.EventHubs.Hosting;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using HealthcareOrleans.Streaming.EventHubs.Testing;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HealthcareOrleans.Benchmarks;

/// <param name="EventsPerSecond">Events delivered on the partition streams and committed to Bronze, per second of wall time from silo start.</param>
/// <param name="CpuCores">This process's CPU time over the run's wall time.</param>
internal sealed record EventHubsGeneratorResult(int Events, TimeSpan Elapsed, double EventsPerSecond, double CpuCores, int Deliveries);

/// <summary>
/// The Event Hubs ingestion as the silo wires it, in this process: Orleans' Event Hubs provider with our data adapter,
/// Bronze tap and checkpointer, the Bronze writer committing to a folder every 200 ms, the hub served by the package's
/// generator receivers (no AMQP endpoint here) from four in-memory partitions pre-filled with the backlog. A counting
/// consumer on the partition streams stands where the partition consumer of the batched core will; nothing applies the
/// events to patients, so this is the ingestion layer's rate, not the whole pipeline's. Checkpoints: Azurite's table
/// when HC_TEST_AZURITE_CONNECTION names one, else none can be written and the run says so.
/// </summary>
internal static class EventHubsGeneratorBenchmark
{
    private const int Partitions = 4;

    public static async Task<EventHubsGeneratorResult> RunAsync(SimulatedEventSet events, string tableConnectionString)
    {
        var hub = Enumerable.Range(0, Partitions).Select(p => new InMemoryHubPartition(p)).ToList();
        foreach (var message in events.Messages)
        {
            hub[PartitionOf(message.Key)].Append(message.Key, message.Value);
        }

        var lake = Directory.CreateTempSubdirectory("hc-bench-eventhubs-").FullName;
        PartitionCountingGrain.Reset();
        try
        {
            var (cpuBefore, watch) = (ProcessResources.Self().CpuTime, Stopwatch.StartNew());
            using var host = new HostBuilder()
                .UseOrleans(silo =>
                {
                    silo.UseSingleLocalSilo(LoopbackPorts.Free(), LoopbackPorts.Free(), serviceId: "eventhubs-bench-" + Guid.NewGuid().ToString("N")[..8], clusterId: "eventhubs-bench");
                    silo.Services.AddSingleton<ILakeStorage>(new LocalLakeStorage(lake));
                    silo.Services.AddOptions<LakeOptions>().Configure(o => o.Root = lake);
                    silo.Services.AddSingleton<BronzeWriter>();
                    silo.Services.AddKeyedSingleton<IReceivedRecordSink>(PatientFlowStreams.ProviderName, (sp, _) => sp.GetRequiredService<BronzeWriter>());
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
                })
                .Build();
            await host.StartAsync();
            var bronze = host.Services.GetRequiredService<BronzeWriter>();
            var timeout = Stopwatch.StartNew();
            while (PartitionCountingGrain.Records < events.Count || bronze.RowsTotal < events.Count)
            {
                if (timeout.Elapsed > TimeSpan.FromSeconds(60 + events.Count / 1_000.0))
                {
                    throw new TimeoutException($"{PartitionCountingGrain.Records} of {events.Count} delivered, {bronze.RowsTotal} in Bronze");
                }

                await bronze.FlushAllAsync(CancellationToken.None);
                await Task.Delay(200);
            }

            watch.Stop();
            var cpu = ProcessResources.Self().CpuTime - cpuBefore;
            await host.StopAsync();
            return new EventHubsGeneratorResult(events.Count, watch.Elapsed, events.Count / watch.Elapsed.TotalSeconds, cpu / watch.Elapsed, PartitionCountingGrain.Deliveries);
        }
        finally
        {
            Directory.Delete(lake, recursive: true);
        }
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

public interface IPartitionCountingGrain : IGrainWithStringKey
{
}

/// <summary>Counts what a partition stream delivers: the consumer the benchmark needs, and nothing more.</summary>
[ImplicitStreamSubscription(PatientFlowStreams.PartitionNamespace)]
public sealed class PartitionCountingGrain : Grain, IPartitionCountingGrain, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecordBatch>
{
    private static long s_records;
    private static int s_deliveries;

    public static long Records => Interlocked.Read(ref s_records);

    public static int Deliveries => Volatile.Read(ref s_deliveries);

    public static void Reset()
    {
        Interlocked.Exchange(ref s_records, 0);
        Interlocked.Exchange(ref s_deliveries, 0);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<BrokerRecordBatch>().ResumeAsync(this);
    }

    public Task OnNextAsync(BrokerRecordBatch item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        Interlocked.Add(ref s_records, item.Count);
        Interlocked.Increment(ref s_deliveries);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
