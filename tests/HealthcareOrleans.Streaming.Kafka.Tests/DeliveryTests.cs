using System.Diagnostics;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

[Collection("cluster")]
public sealed class DeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stream_per_partition_gets_each_read_as_one_batch_in_offset_order_and_every_message_once()
    {
        DeliverySink.Reset();
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-batches"]);
        // One checkpoint store for both silos, as a real deployment has.
        var checkpoints = new InMemoryPartitionCheckpointStore();
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-batches",
            options => options.MaxBatchSize = 200,
            services: services => services.AddKeyedSingleton<IPartitionCheckpointStore>(PatientFlowStreams.ProviderName, checkpoints),
            dataAdapter: new PartitionStreamDataAdapter(PartitionBatchRecorderGrain.Namespace));
        // Produced once both silos run, so no partition changes hands during the test: a handover re-delivers what was
        // in flight (at least once, by design), and this test is about batching, not handovers. Produced in one burst,
        // so reads still find far more than a batch waiting.
        var produced = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-batches",
            Enumerable.Range(0, 5_000).Select(i => (i % 7 == 0 ? null : (string?)$"patient-{i % 300}", (int?)null)));
        await Eventually.TrueAsync(() => DeliverySink.Batches.Sum(b => b.Batch.Count) >= 5_000, TimeSpan.FromSeconds(60),
            () => $"{DeliverySink.Batches.Sum(b => b.Batch.Count)} of 5000 delivered");

        var batches = DeliverySink.Batches.ToArray();
        var records = batches.SelectMany(b => b.Batch.Records).ToArray();
        Assert.Equal(produced.Select(p => (p.Partition, p.Offset)).Order(), records.Select(r => (r.Partition, r.Offset)).Order());
        Assert.All(batches, b =>
        {
            Assert.InRange(b.Batch.Count, 1, 200);
            Assert.All(b.Batch.Records, r => Assert.Equal(b.GrainKey, r.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        foreach (var partition in batches.GroupBy(b => b.GrainKey))
        {
            var offsets = partition.SelectMany(b => b.Batch.Records).Select(r => r.Offset).ToArray();
            Assert.Equal(offsets.Order(), offsets);
        }

        // Batched, not one message per delivery: 5,000 messages in 4 partitions, at most 200 per read.
        Assert.InRange(batches.Length, 25, 1_000);
    }

    [Fact]
    public async Task Twenty_thousand_keyed_messages_reach_their_patient_exactly_once_in_offset_order()
    {
        DeliverySink.Reset();
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-20k"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-20k");

        var watch = Stopwatch.StartNew();
        var produced = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-20k",
            Enumerable.Range(0, 20_000).Select(i => ((string?)$"patient-{i % 500}", (int?)null)));
        await Eventually.TrueAsync(() => DeliverySink.Deliveries.Count >= 20_000, TimeSpan.FromSeconds(60),
            () => $"{DeliverySink.Deliveries.Count} of 20000 delivered");
        watch.Stop();
        output.WriteLine($"20,000 messages produced and delivered in {watch.Elapsed.TotalMilliseconds:0} ms: {20_000 / watch.Elapsed.TotalSeconds:0} events/s");

        Assert.Equal(4, produced.Select(p => p.Partition).Distinct().Count());
        var deliveries = DeliverySink.Deliveries.ToArray();
        Assert.Equal(20_000, deliveries.Length);
        Assert.Equal(20_000, deliveries.Select(d => (d.Record.Partition, d.Record.Offset)).Distinct().Count());
        Assert.All(deliveries, d =>
        {
            Assert.Equal(PatientFlowStreams.PatientNamespace, d.Namespace);
            Assert.Equal(d.Record.Key, d.GrainKey);
        });
        var expected = produced.ToDictionary(p => (p.Partition, p.Offset), p => p.Key);
        Assert.All(deliveries, d => Assert.Equal(expected[(d.Record.Partition, d.Record.Offset)], d.Record.Key));
        foreach (var perKey in deliveries.GroupBy(d => d.GrainKey))
        {
            var offsets = perKey.OrderBy(d => d.Sequence).Select(d => d.Record.Offset).ToArray();
            Assert.True(offsets.Zip(offsets.Skip(1)).All(pair => pair.First < pair.Second), $"offsets of {perKey.Key} out of order");
        }

        var progress = KafkaTestCluster.Trackers(cluster).Select(t => t.ToProgress()).ToArray();
        Assert.Equal(4, progress.Length);
        Assert.Equal(20_000, progress.Sum(p => p.MessagesReceived));
    }

    [Fact]
    public async Task Unkeyed_messages_reach_the_unkeyed_stream_of_their_partition()
    {
        DeliverySink.Reset();
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-unkeyed"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-unkeyed");

        var produced = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-unkeyed",
            Enumerable.Range(0, 40).Select(i => ((string?)(i % 2 == 0 ? null : string.Empty), (int?)(i % 4))));
        await Eventually.TrueAsync(() => DeliverySink.Deliveries.Count >= 40, TimeSpan.FromSeconds(30),
            () => $"{DeliverySink.Deliveries.Count} of 40 delivered");

        var deliveries = DeliverySink.Deliveries.ToArray();
        Assert.Equal(40, deliveries.Length);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(PatientFlowStreams.UnkeyedNamespace, d.Namespace);
            Assert.Equal(d.Record.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture), d.GrainKey);
            Assert.Null(d.Record.Key);
        });
        Assert.Equal(produced.Select(p => (p.Partition, p.Offset)).Order(), deliveries.Select(d => (d.Record.Partition, d.Record.Offset)).Order());
    }

    [Fact]
    public async Task A_message_produced_by_kcat_from_outside_the_process_reaches_its_grain()
    {
        var kcat = new[] { "/usr/bin/kcat", "/usr/local/bin/kcat" }.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, "kcat")).FirstOrDefault(File.Exists);
        Assert.True(kcat is not null, "kcat is not installed: run `apt-get install -y kcat`");

        DeliverySink.Reset();
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-kcat"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-kcat");

        var start = new ProcessStartInfo(kcat!, ["-P", "-b", broker.BootstrapServers, "-t", "flow-kcat", "-K", "|"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        using (var process = Process.Start(start)!)
        {
            await process.StandardInput.WriteLineAsync("patient-kcat|{\"event_type\":\"ARRIVAL\"}");
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        await Eventually.TrueAsync(() => !DeliverySink.Deliveries.IsEmpty, TimeSpan.FromSeconds(30), () => "nothing delivered");
        var delivery = Assert.Single(DeliverySink.Deliveries);
        Assert.Equal("patient-kcat", delivery.GrainKey);
        Assert.Equal("{\"event_type\":\"ARRIVAL\"}", System.Text.Encoding.UTF8.GetString(delivery.Record.Payload));
    }
}
