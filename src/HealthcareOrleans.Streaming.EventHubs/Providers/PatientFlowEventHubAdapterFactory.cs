using System.Globalization;
using HealthcareOrleans.Streaming.EventHubs.Options;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Statistics;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// Orleans' Event Hubs adapter factory with the patient-flow parts: partitions from the options (numbers only), each
/// partition's hub receiver wrapped in the Bronze tap, started at the sequence number the checkpointer chose, and no
/// producer client (the streams are read-only).
/// </summary>
public sealed class PatientFlowEventHubAdapterFactory : EventHubAdapterFactory
{
    // Orleans' receiver passes this when the checkpointer holds no position (EventHubConstants.StartOfStream, internal).
    private const string StartOfStream = "-1";

    private readonly EventHubsIngestionOptions _ingestion;
    private readonly IEventHubPartitionReceivers _hub;
    private readonly IReceivedRecordSink? _sink;

    public PatientFlowEventHubAdapterFactory(
        string name,
        EventHubOptions ehOptions,
        EventHubReceiverOptions receiverOptions,
        EventHubStreamCachePressureOptions cacheOptions,
        StreamCacheEvictionOptions cacheEvictionOptions,
        StreamStatisticOptions statisticOptions,
        IEventHubDataAdapter dataAdapter,
        IServiceProvider serviceProvider,
        ILoggerFactory loggerFactory,
        IEnvironmentStatisticsProvider environmentStatisticsProvider,
        EventHubsIngestionOptions ingestion,
        IEventHubPartitionReceivers hub,
        IReceivedRecordSink? sink)
        : base(name, ehOptions, receiverOptions, cacheOptions, cacheEvictionOptions, statisticOptions, dataAdapter, serviceProvider, loggerFactory, environmentStatisticsProvider)
    {
        _ingestion = ingestion;
        _hub = hub;
        _sink = sink;
    }

    public override void Init()
    {
        Direction = StreamProviderDirection.ReadOnly;
        EventHubReceiverFactory = OpenPartition;
        base.Init();
    }

    /// <summary>Read-only: a producer client would need a send right and is never used.</summary>
    protected override void InitEventHubClient()
    {
    }

    protected override Task<string[]> GetPartitionIdsAsync()
    {
        var ids = _ingestion.ResolvePartitionIds();
        PartitionNumbers.Parse(ids);
        return Task.FromResult(ids.ToArray());
    }

    private IEventHubReceiver OpenPartition(EventHubPartitionSettings settings, string position, ILogger logger)
    {
        var partition = new ReceivedPartition(_ingestion.ResolveSourceId(), _ingestion.EventHub!, PartitionNumbers.Parse(settings.Partition));
        long? from = position == StartOfStream ? null : long.Parse(position, NumberStyles.None, CultureInfo.InvariantCulture);
        return new TappedPartitionReceiver(_hub.Open(settings, from, logger), partition, _sink);
    }

    public static new PatientFlowEventHubAdapterFactory Create(IServiceProvider services, string name)
    {
        var ehOptions = services.GetOptionsByName<EventHubOptions>(name);
        var receiverOptions = services.GetOptionsByName<EventHubReceiverOptions>(name);
        var cacheOptions = services.GetOptionsByName<EventHubStreamCachePressureOptions>(name);
        var statisticOptions = services.GetOptionsByName<StreamStatisticOptions>(name);
        var evictionOptions = services.GetOptionsByName<StreamCacheEvictionOptions>(name);
        var ingestion = services.GetRequiredService<IOptionsMonitor<EventHubsIngestionOptions>>().Get(name);
        var factory = new PatientFlowEventHubAdapterFactory(
            name,
            ehOptions,
            receiverOptions,
            cacheOptions,
            evictionOptions,
            statisticOptions,
            services.GetRequiredKeyedService<IEventHubDataAdapter>(name),
            services,
            services.GetRequiredService<ILoggerFactory>(),
            services.GetRequiredService<IEnvironmentStatisticsProvider>(),
            ingestion,
            services.GetRequiredKeyedService<IEventHubPartitionReceivers>(name),
            services.GetKeyedService<IReceivedRecordSink>(name));
        factory.Init();
        return factory;
    }
}
