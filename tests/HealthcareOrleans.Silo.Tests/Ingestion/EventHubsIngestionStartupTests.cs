using HealthcareOrleans.LocalCluster;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HealthcareOrleans.Silo.Tests.Ingestion;

/// <summary>The real host with an <c>EventHubs</c> section: it picks the AMQP provider and refuses to start half-configured.</summary>
[Collection(SiloHostCollection.Name)]
public sealed class EventHubsIngestionStartupTests : IAsyncLifetime
{
    private static readonly string[] Settings =
        ["HC_DATA_DIR", "HC_API_KEY", "Simulator__Enabled", "Orleans__SiloPort", "Orleans__GatewayPort", "EventHubs__EventHub"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hc-silo-eventhubs-").FullName;

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("HC_DATA_DIR", _dataDirectory);
        Environment.SetEnvironmentVariable("HC_API_KEY", "test-key-for-the-host");
        Environment.SetEnvironmentVariable("Simulator__Enabled", "false");
        Environment.SetEnvironmentVariable("Orleans__SiloPort", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Orleans__GatewayPort", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Only the hub: namespace, consumer group, partition count and checkpoint table are missing.
        Environment.SetEnvironmentVariable("EventHubs__EventHub", "patient-flow");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        foreach (var setting in Settings)
        {
            Environment.SetEnvironmentVariable(setting, null);
        }

        Directory.Delete(_dataDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_hub_without_namespace_consumer_group_partitions_or_table_stops_the_silo_naming_each_setting()
    {
        await using var factory = new WebApplicationFactory<Program>();
        var failure = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(failure);
        var messages = string.Join(" | ", Chain(failure).Select(e => e.Message));
        Assert.Contains("Event Hubs stream provider 'patient-flow' is not configured", messages, StringComparison.Ordinal);
        foreach (var setting in new[] { "EventHubs:FullyQualifiedNamespace", "EventHubs:ConsumerGroup", "EventHubs:PartitionCount", "EventHubs:CheckpointTableConnectionString" })
        {
            Assert.Contains(setting, messages, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("EventHubs:EventHub is empty", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
