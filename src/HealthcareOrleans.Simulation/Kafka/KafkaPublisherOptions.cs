using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Simulation.Kafka;

/// <summary>
/// Where and how the simulator publishes. The one place the Kafka producer configuration is built: defaults for a
/// durable, ordered feed first, then <see cref="ExtraConfig"/> on top (e.g. Event Hubs' Kafka endpoint:
/// <c>security.protocol=SASL_SSL</c>, <c>sasl.mechanism=PLAIN</c>, <c>sasl.username=$ConnectionString</c>,
/// <c>sasl.password=&lt;connection string&gt;</c>).
/// </summary>
public sealed record KafkaPublisherOptions
{
    public string BootstrapServers { get; init; } = "";

    public string Topic { get; init; } = PatientFlowStreams.DefaultTopic;

    /// <summary>
    /// Idempotent producer: retries cannot duplicate or reorder a partition's messages, which keeps each patient's
    /// events in order. Turn off only for a broker that refuses it.
    /// </summary>
    public bool EnableIdempotence { get; init; } = true;

    /// <summary>A few milliseconds of lingering fills batches at high rates at no visible latency cost.</summary>
    public double LingerMs { get; init; } = 5;

    public int BatchNumMessages { get; init; } = 10_000;

    public string ClientId { get; init; } = "hc-simulator";

    /// <summary>How long stopping waits for in-flight messages to be acknowledged.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>librdkafka properties applied last, overriding the defaults above.</summary>
    public IReadOnlyDictionary<string, string>? ExtraConfig { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            problems.Add("Kafka BootstrapServers is empty. Set it to host:port[,host:port], or run with Profile=embedded.");
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            problems.Add($"Kafka Topic is empty. The engine reads '{PatientFlowStreams.DefaultTopic}'.");
        }

        if (double.IsNaN(LingerMs) || LingerMs < 0 || LingerMs > 900_000)
        {
            problems.Add($"LingerMs must be between 0 and 900000; it is {LingerMs}.");
        }

        if (BatchNumMessages < 1)
        {
            problems.Add($"BatchNumMessages must be ≥ 1; it is {BatchNumMessages}.");
        }

        if (FlushTimeout <= TimeSpan.Zero)
        {
            problems.Add($"FlushTimeout must be positive; it is {FlushTimeout}.");
        }

        return problems;
    }

    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The Kafka publisher options are invalid: " + string.Join(" ", problems));
        }
    }

    /// <summary>
    /// gzip by default: Event Hubs' Kafka endpoint accepts no other codec, and JSON events shrink about fivefold,
    /// which also stretches how much history the embedded broker (about 5 MiB a partition) holds.
    /// </summary>
    public CompressionType Compression { get; init; } = CompressionType.Gzip;

    public ProducerConfig BuildProducerConfig()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            ClientId = ClientId,
            Acks = Acks.All,
            EnableIdempotence = EnableIdempotence,
            LingerMs = LingerMs,
            BatchNumMessages = BatchNumMessages,
            CompressionType = Compression,
            // Delivery reports carry only what the publisher needs to count and to surface errors.
            DeliveryReportFields = "status",
        };

        foreach (var (name, value) in (ExtraConfig ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            config.Set(name, value);
        }

        return config;
    }
}
