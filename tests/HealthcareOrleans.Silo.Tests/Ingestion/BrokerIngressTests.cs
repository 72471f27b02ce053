using System.Net;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Silo.Ingestion;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Tests.Ingestion;

/// <summary>The silo's producer for hospital feeds: a receipt means the message is in the log at that offset.</summary>
public sealed class BrokerIngressTests
{
    internal static KafkaBrokerIngress Ingress(string bootstrapServers, TimeSpan? deliveryTimeout = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<KafkaStreamOptions>(PatientFlowStreams.ProviderName).Configure(o => o.BootstrapServers = bootstrapServers);
        services.Configure<IngressOptions>(o => o.DeliveryTimeout = deliveryTimeout ?? TimeSpan.FromSeconds(30));
        var provider = services.BuildServiceProvider();
        return new KafkaBrokerIngress(provider.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>(), provider.GetRequiredService<IOptions<IngressOptions>>());
    }

    [Fact]
    public async Task Every_receipt_names_the_offset_that_holds_the_message_and_its_key()
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync();
        using var ingress = Ingress(broker.BootstrapServers);
        var sent = Enumerable.Range(0, 200).Select(i => (Key: i % 3 == 0 ? null : $"P-{i % 17}", Value: Encoding.UTF8.GetBytes($"MSH|^~\\&|message {i}"))).ToList();

        var receipts = await Task.WhenAll(sent.Select(m => ingress.ProduceAsync(m.Key, m.Value, CancellationToken.None)));

        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "ingress-test" }).Build();
        consumer.Assign(Enumerable.Range(0, EmbeddedKafkaBroker.DefaultPartitions).Select(p => new TopicPartitionOffset(PatientFlowStreams.DefaultTopic, p, Offset.Beginning)));
        var log = new Dictionary<(int, long), (string?, byte[])>();
        while (log.Count < sent.Count && consumer.Consume(TimeSpan.FromSeconds(10)) is { } record)
        {
            log[(record.Partition.Value, record.Offset.Value)] = (record.Message.Key, record.Message.Value);
        }

        Assert.Equal(sent.Count, log.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            var (key, value) = log[(receipts[i].Partition, receipts[i].Offset)];
            Assert.Equal(sent[i].Key, key);
            Assert.Equal(sent[i].Value, value);
            Assert.Equal(PatientFlowStreams.DefaultTopic, receipts[i].Topic);
        }
    }

    [Fact]
    public async Task Without_a_broker_the_send_fails_after_the_delivery_timeout_instead_of_completing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var deadPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var ingress = Ingress($"127.0.0.1:{deadPort}", TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<BrokerDeliveryException>(() => ingress.ProduceAsync("P-1", [1, 2, 3], CancellationToken.None));
    }
}
