namespace HealthcareOrleans.Streaming.Kafka.Options;

/// <summary>
/// The Kafka endpoint of an Azure Event Hubs namespace, read from an Event Hubs connection string. Event Hubs speaks
/// Kafka on port 9093 over SASL_SSL with the PLAIN mechanism, user <c>$ConnectionString</c> and the whole connection
/// string as password.
/// </summary>
public sealed record EventHubsKafkaEndpoint(string BootstrapServers, string ConnectionString, string? EventHub)
{
    public const int KafkaPort = 9093;

    public static EventHubsKafkaEndpoint Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The Event Hubs connection string is empty.", nameof(connectionString));
        }

        string? endpoint = null;
        string? entityPath = null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var name = part[..equals];
            var value = part[(equals + 1)..];
            if (name.Equals("Endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("EntityPath", StringComparison.OrdinalIgnoreCase))
            {
                entityPath = value;
            }
        }

        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException(
                "The Event Hubs connection string has no valid Endpoint=sb://<namespace>.servicebus.windows.net/ part. " +
                "Copy it from the namespace's or the event hub's 'Shared access policies' page.",
                nameof(connectionString));
        }

        return new EventHubsKafkaEndpoint(
            $"{uri.Host}:{KafkaPort}",
            connectionString.Trim(),
            string.IsNullOrWhiteSpace(entityPath) ? null : entityPath);
    }

    /// <summary>librdkafka settings for Event Hubs' Kafka endpoint: SASL PLAIN over TLS, the connection string as password.</summary>
    public IReadOnlyDictionary<string, string> ClientSettings => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["security.protocol"] = "SASL_SSL",
        ["sasl.mechanism"] = "PLAIN",
        ["sasl.username"] = "$ConnectionString",
        ["sasl.password"] = ConnectionString,
    };

    public void ApplyTo(KafkaStreamOptions options)
    {
        options.BootstrapServers = BootstrapServers;
        foreach (var (name, value) in ClientSettings)
        {
            options.KafkaConfig[name] = value;
        }

        if (EventHub is not null)
        {
            options.Topic = EventHub;
        }
    }

    // The connection string carries a secret: never let it reach a log through ToString.
    public override string ToString() => $"EventHubsKafkaEndpoint {{ BootstrapServers = {BootstrapServers}, EventHub = {EventHub} }}";
}
