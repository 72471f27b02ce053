using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

public sealed class OptionsTests
{
    private const string ConnectionString =
        "Endpoint=sb://hospital-ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0;EntityPath=patient-flow-prod";

    [Fact]
    public void Event_hubs_connection_string_maps_to_the_kafka_endpoint_with_sasl_plain()
    {
        var options = new KafkaStreamOptions().UseEventHubs(ConnectionString);

        Assert.Equal("hospital-ns.servicebus.windows.net:9093", options.BootstrapServers);
        Assert.Equal("patient-flow-prod", options.Topic);
        Assert.Equal("SASL_SSL", options.KafkaConfig["security.protocol"]);
        Assert.Equal("PLAIN", options.KafkaConfig["sasl.mechanism"]);
        Assert.Equal("$ConnectionString", options.KafkaConfig["sasl.username"]);
        Assert.Equal(ConnectionString, options.KafkaConfig["sasl.password"]);
        Assert.Empty(KafkaStreamOptionsValidator.Validate(options, "patient-flow"));
    }

    [Fact]
    public void Event_hubs_connection_string_without_entity_path_keeps_the_topic_and_hides_the_secret()
    {
        var endpoint = EventHubsKafkaEndpoint.Parse("Endpoint=sb://ns2.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=topsecret");
        var options = new KafkaStreamOptions { Topic = "kept" };
        endpoint.ApplyTo(options);

        Assert.Equal("kept", options.Topic);
        Assert.Equal("ns2.servicebus.windows.net:9093", options.BootstrapServers);
        Assert.DoesNotContain("topsecret", endpoint.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EventHubsKafkaEndpoint.Parse("SharedAccessKeyName=a;SharedAccessKey=b"));
    }

    [Fact]
    public void Validator_says_what_to_do_when_bootstrap_servers_are_missing()
    {
        var errors = KafkaStreamOptionsValidator.Validate(new KafkaStreamOptions { Partitions = 0 }, "patient-flow");

        Assert.Contains(errors, e => e.Contains("Kafka:BootstrapServers is empty. Set it, or run with Profile=embedded.", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Kafka:Partitions is 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_rejects_a_negative_delivery_wait_and_accepts_zero()
    {
        var negative = new KafkaStreamOptions { BootstrapServers = "localhost:9092", Topic = "patient-flow", MaxDeliveryWait = TimeSpan.FromSeconds(-1) };
        var zero = new KafkaStreamOptions { BootstrapServers = "localhost:9092", Topic = "patient-flow", MaxDeliveryWait = TimeSpan.Zero };

        Assert.Contains(KafkaStreamOptionsValidator.Validate(negative, "patient-flow"), e => e.Contains("Kafka:MaxDeliveryWait is -00:00:01. Set zero", StringComparison.Ordinal));
        Assert.Empty(KafkaStreamOptionsValidator.Validate(zero, "patient-flow"));
    }

    [Fact]
    public void Validator_rejects_settings_that_would_take_offsets_away_from_orleans()
    {
        var options = new KafkaStreamOptions { BootstrapServers = "localhost:9092" };
        options.KafkaConfig["enable.auto.commit"] = "true";

        Assert.Contains(KafkaStreamOptionsValidator.Validate(options, "patient-flow"), e => e.Contains("'enable.auto.commit'", StringComparison.Ordinal));
    }
}

[Collection("cluster")]
public sealed class StartupVerificationTests
{
    [Fact]
    public async Task A_partition_count_that_differs_from_the_topic_stops_the_silo_with_the_fix()
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-mismatch"]);

        var failure = await Record.ExceptionAsync(() =>
            KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-mismatch", o => o.Partitions = 3, silos: 1));

        Assert.NotNull(failure);
        Assert.Contains("has 4 partitions but Kafka:Partitions is 3", failure!.ToString(), StringComparison.Ordinal);
    }
}
