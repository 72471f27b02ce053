using System.Diagnostics.Metrics;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Hosting;

public static class KafkaStreamSiloBuilderExtensions
{
    /// <summary>
    /// Adds a persistent stream provider named <paramref name="name"/> that reads a Kafka topic (or Event Hubs' Kafka
    /// endpoint): one Orleans queue per partition. Which stream a message goes to is the data adapter's choice
    /// (<see cref="KafkaStreamsConfigurator.UseDataAdapter"/>; by default <see cref="KeyedStreamDataAdapter"/> in a
    /// namespace named like the provider). Consumers subscribe implicitly.
    /// To keep checkpoints elsewhere, register an <see cref="Checkpointing.IPartitionCheckpointStore"/> keyed by
    /// <paramref name="name"/>; read progress from the <see cref="KafkaPartitionMonitor"/> singleton.
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(
        this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configure, Action<KafkaStreamsConfigurator>? configureProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        configureProvider?.Invoke(new KafkaStreamsConfigurator(name, services));
        services.AddOptions<KafkaStreamOptions>(name).Configure(configure);
        services.AddSingleton<IConfigurationValidator>(sp =>
            new KafkaStreamOptionsValidator(sp.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name), name));
        services.TryAddSingleton(sp => new KafkaPartitionMonitor
        {
            BrokerAddress = sp.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name).BootstrapServers,
        });
        services.AddSingleton<IPartitionProgressSource>(sp => sp.GetRequiredService<KafkaPartitionMonitor>());
        services.AddKeyedSingleton<KafkaReceiverRegistry>(name);
        services.AddHostedService(sp => new SiloLossRedeliveryService(
            name, sp, sp.GetRequiredKeyedService<KafkaReceiverRegistry>(name), sp.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SiloLossRedeliveryService>>()));
        services.TryAddSingleton(sp => new KafkaStreamInstruments(
            sp.GetService<IMeterFactory>() ?? new PrivateMeterFactory(), sp.GetRequiredService<KafkaPartitionMonitor>()));

        return builder.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, stream =>
        {
            // Consumers subscribe implicitly; skipping the pub-sub grain saves a grain call and a storage write per
            // new stream.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptionsMonitor<KafkaStreamOptions>>((pulling, kafka) =>
            {
                var options = kafka.Get(name);
                // Orleans retries a failing delivery for this long, then calls the failure handler and moves on.
                pulling.MaxEventDeliveryTime = options.MaxEventDeliveryTime;
                // The receiver's read waits asynchronously for data; a short gap between reads keeps an idle
                // partition's first message from waiting for the next pump tick.
                pulling.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20);
                // One message per delivery (Orleans' default, stated because delivery tracking relies on it): a cursor's
                // next move then means the previous message was delivered (DeliveryTrackingCursor).
                pulling.BatchContainerBatchSize = 1;
                // Orleans gives a receiver's Initialize and Shutdown this long; a handover needs it at shutdown.
                pulling.InitQueueTimeout = options.HandoverTimeout;
            }));
        });
    }

    /// <summary>Used only when the host registered no <see cref="IMeterFactory"/> (a bare service collection).</summary>
    private sealed class PrivateMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            lock (_meters)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (_meters)
            {
                foreach (var meter in _meters)
                {
                    meter.Dispose();
                }

                _meters.Clear();
            }
        }
    }
}
