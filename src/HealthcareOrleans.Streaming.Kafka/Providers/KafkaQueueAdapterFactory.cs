using System.Globalization;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Composes the provider for Orleans: queue mapping (partition i ⇄ queue i, as the Event Hubs provider does with
/// <see cref="HashRingBasedPartitionedStreamQueueMapper"/>), cache, failure handling and receivers.
/// </summary>
public sealed class KafkaQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly KafkaStreamOptions _options;
    private readonly IPartitionCheckpointStore _checkpointStore;
    private readonly IReceivedRecordSink? _sink;
    private readonly IReceiverPartsFactory _parts;
    private readonly KafkaPartitionMonitor _monitor;
    private readonly KafkaStreamInstruments _instruments;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly HashRingBasedPartitionedStreamQueueMapper _queueMapper;
    private readonly IQueueAdapterCache _cache;
    private readonly IStreamFailureHandler _failureHandler;
    private readonly KafkaReceiverRegistry _receivers;

    internal KafkaQueueAdapterFactory(
        string name,
        KafkaStreamOptions options,
        IPartitionCheckpointStore checkpointStore,
        IReceivedRecordSink? sink,
        IReceiverPartsFactory parts,
        KafkaPartitionMonitor monitor,
        KafkaStreamInstruments instruments,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        KafkaReceiverRegistry receivers)
    {
        _name = name;
        _receivers = receivers;
        _options = options;
        _checkpointStore = checkpointStore;
        _sink = sink;
        _parts = parts;
        _monitor = monitor;
        _instruments = instruments;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        var partitionIds = new string[options.Partitions];
        for (var i = 0; i < partitionIds.Length; i++)
        {
            partitionIds[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        _queueMapper = new HashRingBasedPartitionedStreamQueueMapper(partitionIds, name);
        _cache = new MonitoredQueueAdapterCache(options.CacheSize, name, options.Topic, _queueMapper, monitor, DeliveredAtHandover, CursorPassed, options.MaxDeliveryRetryTime, timeProvider, loggerFactory);
        _failureHandler = new KafkaStreamFailureHandler(loggerFactory.CreateLogger<KafkaStreamFailureHandler>());
    }

    /// <summary>The factory method <c>AddPersistentStreams</c> calls, once per provider name.</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name);
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        // A store registered for this provider name wins (e.g. the lake's Bronze-backed one); otherwise the options decide.
        var store = services.GetKeyedService<IPartitionCheckpointStore>(name)
            ?? (options.CheckpointDirectory is { } directory
                ? new FilePartitionCheckpointStore(directory)
                : new InMemoryPartitionCheckpointStore());
        return new KafkaQueueAdapterFactory(
            name,
            options,
            store,
            // The lake's Bronze writer, when the silo has one: it sees every record and bounds resume and checkpoints.
            services.GetKeyedService<IReceivedRecordSink>(name),
            new KafkaReceiverParts(
                name, options, store, services.GetKeyedService<IKafkaDataAdapter>(name) ?? new KeyedStreamDataAdapter(name), loggerFactory, timeProvider, LeaseHolderMembership(services)),
            services.GetRequiredService<KafkaPartitionMonitor>(),
            services.GetRequiredService<KafkaStreamInstruments>(),
            loggerFactory,
            timeProvider,
            services.GetKeyedService<KafkaReceiverRegistry>(name) ?? new KafkaReceiverRegistry());
    }

    private static OrleansLeaseHolderMembership? LeaseHolderMembership(IServiceProvider services) =>
        services.GetService<IClusterMembershipService>() is { } membership && services.GetService<ILocalSiloDetails>() is { } silo
            ? new OrleansLeaseHolderMembership(membership, silo.SiloAddress)
            : null;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        // Runs while the silo starts: a wrong topic or partition count stops the silo here, with the fix in the message.
        await Task.Run(() => KafkaTopicVerifier.Verify(_options, _name), cancellationToken).ConfigureAwait(false);
        return new KafkaQueueAdapter(_name, _queueMapper, CreateReceiver);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _queueMapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failureHandler);

    private KafkaQueueAdapterReceiver CreateReceiver(int partition)
    {
        var receiver = new KafkaQueueAdapterReceiver(_name, _options, partition, _checkpointStore, _sink, _parts, _monitor, _instruments, _loggerFactory, _timeProvider);
        _receivers.Register(partition, receiver);
        return receiver;
    }

    // The cache and the receiver of a queue are created separately by the pulling agent; the partition joins them.
    private void DeliveredAtHandover(int partition, IList<IBatchContainer> purged)
    {
        if (_receivers.TryGet(partition, out var receiver))
        {
            receiver.MessagesDeliveredAsync(purged, CancellationToken.None);
        }
    }

    private void CursorPassed(int partition, IBatchContainer batch)
    {
        if (_receivers.TryGet(partition, out var receiver))
        {
            receiver.CursorPassed(batch);
        }
    }
}
