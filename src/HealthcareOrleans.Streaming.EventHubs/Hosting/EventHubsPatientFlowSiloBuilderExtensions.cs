using Azure.Data.Tables;
using Azure.Identity;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.EventHubs.Checkpointing;
using HealthcareOrleans.Streaming.EventHubs.Options;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.EventHubs.Hosting;

public static class EventHubsPatientFlowSiloBuilderExtensions
{
    /// <summary>
    /// Reads the patient-flow events from Azure Event Hubs over AMQP with Orleans' Event Hubs stream provider (works on
    /// every tier, Basic included): one Orleans queue per hub partition, each read delivered as one
    /// <see cref="BrokerRecordBatch"/> on the partition's stream (<see cref="PatientFlowStreams.PartitionNamespace"/>,
    /// key = partition number), implicit subscriptions only. An <see cref="IReceivedRecordSink"/> keyed by
    /// <paramref name="name"/> (the lake's Bronze) is handed every event as read and bounds the checkpoints kept in
    /// Azure Table. The options are checked when the silo starts.
    /// </summary>
    public static ISiloBuilder AddEventHubsPatientFlowStreams(
        this ISiloBuilder builder, Action<EventHubsIngestionOptions> configure, string name = PatientFlowStreams.ProviderName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var services = builder.Services;
        services.AddOptions<EventHubsIngestionOptions>(name).Configure(configure);
        services.AddSingleton<IConfigurationValidator>(sp =>
            new EventHubsIngestionOptionsValidator(sp.GetRequiredService<IOptionsMonitor<EventHubsIngestionOptions>>().Get(name), name));
        services.TryAddSingleton(TimeProvider.System);

        // Orleans' factory keeps the hub's name and connection options here (its metrics are tagged with the hub); the
        // partition receivers connect from EventHubsIngestionOptions themselves (AmqpPartitionReceivers).
        services.AddOptions<EventHubOptions>(name).Configure<IOptionsMonitor<EventHubsIngestionOptions>>((hub, all) =>
        {
            var options = all.Get(name);
            // Incomplete settings are left for the validator, which names what to set; the SDK would only say "null".
            if (string.IsNullOrWhiteSpace(options.EventHub) || string.IsNullOrWhiteSpace(options.ConsumerGroup))
            {
                return;
            }

            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                hub.ConfigureEventHubConnection(options.ConnectionString, options.EventHub, options.ConsumerGroup);
            }
            else if (!string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
            {
                hub.ConfigureEventHubConnection(options.FullyQualifiedNamespace, options.EventHub, options.ConsumerGroup, new DefaultAzureCredential());
            }
        });
        services.AddOptions<EventHubReceiverOptions>(name).Configure<IOptionsMonitor<EventHubsIngestionOptions>>((receiver, all) =>
            receiver.StartFromNow = all.Get(name).StartFromNow);

        services.AddKeyedSingleton<IEventHubDataAdapter>(name, (sp, _) =>
            new PartitionStreamDataAdapter(sp.GetRequiredService<IOptionsMonitor<EventHubsIngestionOptions>>().Get(name).EventHub!));
        services.AddKeyedSingleton<IEventHubPartitionReceivers>(name, (sp, _) =>
            new AmqpPartitionReceivers(sp.GetRequiredService<IOptionsMonitor<EventHubsIngestionOptions>>().Get(name)));
        services.AddKeyedSingleton<IStreamQueueCheckpointerFactory>(name, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<EventHubsIngestionOptions>>().Get(name);
            return new BronzeBoundCheckpointerFactory(
                TableCheckpoints(sp, name, options),
                sp.GetKeyedService<IReceivedRecordSink>(name),
                options,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>());
        });

        return builder.AddPersistentStreams(name, PatientFlowEventHubAdapterFactory.Create, stream =>
            // Consumers subscribe implicitly; the pub-sub grain would cost a call and a storage write per new stream.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
    }

    private static EventHubCheckpointerFactory TableCheckpoints(IServiceProvider services, string name, EventHubsIngestionOptions options)
    {
        var table = new AzureTableStreamCheckpointerOptions
        {
            TableName = options.CheckpointTableName,
            PersistInterval = options.CheckpointPersistInterval,
        };
        if (!string.IsNullOrWhiteSpace(options.CheckpointTableConnectionString))
        {
            table.TableServiceClient = new TableServiceClient(options.CheckpointTableConnectionString);
        }
        else if (options.CheckpointTableServiceUri is { } uri)
        {
            table.TableServiceClient = new TableServiceClient(uri, new DefaultAzureCredential());
        }

        return new EventHubCheckpointerFactory(name, table, services.GetRequiredService<IOptions<ClusterOptions>>(), services.GetRequiredService<ILoggerFactory>());
    }
}
