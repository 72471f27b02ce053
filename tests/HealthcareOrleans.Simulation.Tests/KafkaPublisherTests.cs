using Confluent.Kafka;
using HealthcareOrleans.Simulation.Kafka;

namespace HealthcareOrleans.Simulation.Tests;

public sealed class KafkaPublisherTests
{
    [Fact]
    public async Task Publishes_every_message_keyed_by_patient_with_each_patient_in_one_partition()
    {
        // librdkafka's mock cluster lives as long as the client that created it.
        var brokerConfig = new ProducerConfig { BootstrapServers = "unused:9092" };
        brokerConfig.Set("test.mock.num.brokers", "1");
        using var mockBroker = new ProducerBuilder<Null, Null>(brokerConfig).Build();
        using var admin = new DependentAdminClientBuilder(mockBroker.Handle).Build();
        var broker = admin.GetMetadata(TimeSpan.FromSeconds(5)).Brokers.Single();
        var bootstrap = $"{broker.Host}:{broker.Port}";
        const string topic = "patient-flow-test";

        var simulator = new PatientFlowSimulator(new SimulationOptions
        {
            Seed = 9,
            Start = DateTimeOffset.UtcNow.AddDays(-60),
            Count = 2_000,
        });
        SimulationRunResult published;
        using (var publisher = new KafkaPatientFlowPublisher(new KafkaPublisherOptions { BootstrapServers = bootstrap, Topic = topic }))
        {
            var expected = new List<SimulatedMessage>();
            var run = await publisher.PublishAsync(Track(simulator.GenerateAsync(), expected));
            published = new SimulationRunResult(run.Messages, expected);
        }

        Assert.Equal(2_000, published.Delivered);
        var consumed = Consume(bootstrap, topic, 2_000);
        Assert.Equal(published.Sent.Select(m => (m.Key, Convert.ToBase64String(m.Value))).Order(),
            consumed.Select(c => (c.Message.Key, Convert.ToBase64String(c.Message.Value))).Order());
        Assert.All(consumed.GroupBy(c => c.Message.Key), patient => Assert.Single(patient.Select(c => c.Partition.Value).Distinct()));
        Assert.True(consumed.Select(c => c.Partition.Value).Distinct().Count() > 1, "every message landed in one partition");

        // Within a partition a patient's messages keep the order they were sent in.
        var sentOrder = published.Sent.Select((m, i) => (m.Value, i)).ToDictionary(p => Convert.ToBase64String(p.Value), p => p.i);
        foreach (var patient in consumed.GroupBy(c => c.Message.Key))
        {
            var order = patient.OrderBy(c => c.Offset.Value).Select(c => sentOrder[Convert.ToBase64String(c.Message.Value)]).ToList();
            Assert.Equal(order.Order(), order);
        }
    }

    private static async IAsyncEnumerable<SimulatedMessage> Track(IAsyncEnumerable<SimulatedMessage> messages, List<SimulatedMessage> sent)
    {
        await foreach (var message in messages)
        {
            sent.Add(message);
            yield return message;
        }
    }

    private static List<ConsumeResult<string, byte[]>> Consume(string bootstrap, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "simulation-tests",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var consumed = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (consumed.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                consumed.Add(result);
            }
        }

        return consumed;
    }

    private sealed record SimulationRunResult(long Delivered, List<SimulatedMessage> Sent);
}
