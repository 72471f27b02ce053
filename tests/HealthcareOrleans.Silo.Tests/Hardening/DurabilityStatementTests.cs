using System.Text.Json;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Testing;

namespace HealthcareOrleans.Silo.Tests.Hardening;

/// <summary>
/// The embedded profile's broker is memory of the silo process, so it may not be sold as durable; the kafka profile
/// against a broker that outlives the silo is the durable setup, and status says so. (The embedded side is checked
/// by <see cref="AdversarialInputTests"/>.)
/// </summary>
public sealed class DurabilityStatementTests
{
    [Fact]
    public async Task The_kafka_profile_against_an_external_broker_reports_itself_durable()
    {
        // A broker in the test process, outside the silo: to the silo it is an external Kafka-protocol broker.
        await using var broker = await EmbeddedKafkaBroker.StartAsync();
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Profile"] = "kafka",
            ["Kafka__BootstrapServers"] = broker.BootstrapServers,
            ["Security__PseudonymKey"] = "durability-test-pseudonym-key-0123456789",
            ["Warehouse__Kind"] = "None",
        });

        JsonElement durability = default;
        await Eventually.TrueAsync(async () => (await silo.StatusAsync()).TryGetProperty("durability", out durability) && durability.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(15), () => Task.FromResult("no durability in /api/status"));
        Assert.True(durability.GetProperty("durable").GetBoolean());
        Assert.Contains("durable", durability.GetProperty("statement").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("NOT durable", durability.GetProperty("statement").GetString(), StringComparison.Ordinal);

        var hc = await HcProcess.RunAsync("status", "--gateway", $"127.0.0.1:{silo.GatewayPort}");
        Assert.True(hc.ExitCode == 0, hc.Errors);
        Assert.Contains("Durability: external Kafka-protocol broker: durable", hc.Output.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
