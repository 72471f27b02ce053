using HealthcareOrleans.Streaming.EventHubs.Options;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.EventHubs.Tests;

public sealed class EventHubsIngestionOptionsTests
{
    private static EventHubsIngestionOptions Complete() => new()
    {
        FullyQualifiedNamespace = "contoso.servicebus.windows.net",
        EventHub = "patient-flow",
        ConsumerGroup = "hc-silo",
        PartitionCount = 4,
        CheckpointTableServiceUri = new Uri("https://contoso.table.core.windows.net"),
    };

    private static string Failure(EventHubsIngestionOptions options) =>
        Assert.Throws<OrleansConfigurationException>(() => new EventHubsIngestionOptionsValidator(options, "patient-flow").ValidateConfiguration()).Message;

    [Fact]
    public void Complete_options_pass()
    {
        new EventHubsIngestionOptionsValidator(Complete(), "patient-flow").ValidateConfiguration();
        var withConnectionString = Complete();
        withConnectionString.FullyQualifiedNamespace = null;
        withConnectionString.ConnectionString = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=k";
        new EventHubsIngestionOptionsValidator(withConnectionString, "patient-flow").ValidateConfiguration();
    }

    [Fact]
    public void Missing_namespace_says_to_set_the_namespace_or_a_connection_string()
    {
        var options = Complete();
        options.FullyQualifiedNamespace = " ";
        var message = Failure(options);
        Assert.Contains("EventHubs:FullyQualifiedNamespace is empty", message, StringComparison.Ordinal);
        Assert.Contains("EventHubs:ConnectionString", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_hub_says_to_set_the_event_hub()
    {
        var options = Complete();
        options.EventHub = null;
        Assert.Contains("EventHubs:EventHub is empty. Set it to the event hub the producers write to", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_consumer_group_says_to_set_one_for_this_cluster()
    {
        var options = Complete();
        options.ConsumerGroup = "";
        Assert.Contains("EventHubs:ConsumerGroup is empty. Set it to a consumer group of the hub reserved for this cluster", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_partition_count_says_where_to_find_it()
    {
        var options = Complete();
        options.PartitionCount = null;
        var message = Failure(options);
        Assert.Contains("EventHubs:PartitionCount is not set. Set it to the hub's partition count", message, StringComparison.Ordinal);
        Assert.Contains("EventHubs:PartitionIds", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_checkpoint_table_says_to_set_a_connection_string_or_service_uri()
    {
        var options = Complete();
        options.CheckpointTableServiceUri = null;
        var message = Failure(options);
        Assert.Contains("EventHubs:CheckpointTableConnectionString is empty", message, StringComparison.Ordinal);
        Assert.Contains("EventHubs:CheckpointTableServiceUri", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_missing_setting_is_named_in_one_message()
    {
        var message = Failure(new EventHubsIngestionOptions());
        foreach (var setting in new[] { "FullyQualifiedNamespace", "EventHub", "ConsumerGroup", "PartitionCount", "CheckpointTableConnectionString" })
        {
            Assert.Contains($"EventHubs:{setting} ", message, StringComparison.Ordinal);
        }

        Assert.StartsWith("Event Hubs stream provider 'patient-flow' is not configured:", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partition-0")]
    [InlineData("01")]
    [InlineData("-1")]
    [InlineData("1.0")]
    [InlineData("")]
    public void A_partition_id_that_is_not_a_partition_number_is_refused(string id)
    {
        var options = Complete();
        options.PartitionIds = ["0", id];
        var message = Failure(options);
        Assert.Contains($"Event Hubs partition id '{id}' is not a partition number", message, StringComparison.Ordinal);
        Assert.Contains("\"0\" to \"n-1\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partition_ids_zero_to_n_minus_one_map_to_their_numbers()
    {
        var options = Complete();
        options.PartitionCount = 12;
        var map = PartitionNumbers.Parse(options.ResolvePartitionIds());
        Assert.Equal(12, map.Count);
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(i, map[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
    }

    [Fact]
    public void A_partition_listed_twice_is_refused()
    {
        var options = Complete();
        options.PartitionIds = ["0", "1", "1"];
        Assert.Contains("'1' is listed twice", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void The_source_id_defaults_to_the_namespace_of_the_connection_string()
    {
        var options = Complete();
        options.FullyQualifiedNamespace = null;
        options.ConnectionString = "Endpoint=sb://fabrikam.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=k;EntityPath=patient-flow";
        Assert.Equal("eventhubs:fabrikam.servicebus.windows.net", options.ResolveSourceId());
    }
}
