using Confluent.Kafka;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

namespace HealthcareOrleans.Streaming.Kafka.Tests.Hardening;

/// <summary>
/// A message of several MiB, sent by a producer that allows big messages, must never cost the embedded broker the
/// next, valid message: it is refused (the producer learns it) or kept, and whatever the broker acknowledged is read.
/// </summary>
[Collection("cluster")]
public sealed class OversizeMessageTests
{
    private const string Topic = "flow-oversize";
    private const int Partition = 2;

    [Fact]
    public async Task A_six_megabyte_message_is_refused_and_the_next_valid_message_on_its_partition_is_delivered()
    {
        DeliverySink.Reset();
        await using var broker = await EmbeddedKafkaBroker.StartAsync([Topic]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, Topic);

        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            MessageMaxBytes = 20_000_000,
            MessageTimeoutMs = 5_000,
            LingerMs = 0,
        }).Build();
        var target = new TopicPartition(Topic, Partition);

        var big = await Record.ExceptionAsync(() => producer.ProduceAsync(target,
            new Message<string, byte[]> { Key = "patient-big", Value = new byte[6_000_000] }));
        var valid = await producer.ProduceAsync(target,
            new Message<string, byte[]> { Key = "patient-next", Value = "{\"event_type\":\"ADMIT\"}"u8.ToArray() });

        // Either the broker refused the big message (the producer knows), or it holds it and the consumer must see it.
        var refused = big is ProduceException<string, byte[]>;
        Assert.True(refused || big is null, $"unexpected failure: {big}");
        Assert.Equal(PersistenceStatus.Persisted, valid.Status);

        await Eventually.TrueAsync(() => DeliverySink.Deliveries.Any(d => d.GrainKey == "patient-next"), TimeSpan.FromSeconds(30),
            () => $"the valid message at offset {valid.Offset.Value} was not delivered; delivered: {string.Join(", ", DeliverySink.Deliveries.Select(d => d.Record.Offset))}");
        var delivered = DeliverySink.Deliveries.Single(d => d.GrainKey == "patient-next");
        Assert.Equal(valid.Offset.Value, delivered.Record.Offset);
        Assert.Equal(refused ? 0 : 1, DeliverySink.Deliveries.Count(d => d.GrainKey == "patient-big"));
        Assert.All(KafkaTestCluster.Trackers(cluster), t => Assert.Equal(0, t.ToProgress().MessagesSkipped));
    }

    [Fact]
    public async Task Two_megabyte_messages_are_still_accepted_and_delivered_with_the_ones_after_them()
    {
        DeliverySink.Reset();
        await using var broker = await EmbeddedKafkaBroker.StartAsync([Topic + "-2mb"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, Topic + "-2mb");

        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            MessageMaxBytes = 20_000_000,
            MessageTimeoutMs = 10_000,
        }).Build();
        var target = new TopicPartition(Topic + "-2mb", Partition);
        var results = new List<DeliveryResult<string, byte[]>>();
        // Two of them and the small ones stay within the embedded broker's retention (about 5 MiB a partition).
        for (var i = 0; i < 2; i++)
        {
            results.Add(await producer.ProduceAsync(target, new Message<string, byte[]> { Key = $"patient-{i}", Value = new byte[2_000_000] }));
            results.Add(await producer.ProduceAsync(target, new Message<string, byte[]> { Key = $"patient-small-{i}", Value = "{}"u8.ToArray() }));
        }

        await Eventually.TrueAsync(() => DeliverySink.Deliveries.Count >= results.Count, TimeSpan.FromSeconds(30),
            () => $"{DeliverySink.Deliveries.Count} of {results.Count} delivered");
        Assert.Equal(results.Select(r => r.Offset.Value), DeliverySink.Deliveries.Select(d => d.Record.Offset).Order());
        Assert.Equal(2_000_000, DeliverySink.Deliveries.First(d => d.GrainKey == "patient-0").Record.Payload.Length);
    }
}
