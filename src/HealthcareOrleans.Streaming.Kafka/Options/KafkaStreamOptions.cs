namespace HealthcareOrleans.Streaming.Kafka.Options;

/// <summary>
/// Settings of one Kafka stream provider (named options, keyed by the provider name). Bound from configuration
/// section <c>Kafka</c> by the silo host.
/// </summary>
public sealed class KafkaStreamOptions
{
    /// <summary>Comma-separated <c>host:port</c> list. Required.</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>The topic to read. Required; <c>AddKafkaPatientFlowStreams</c> defaults it to the patient-flow topic.</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>
    /// Number of topic partitions, one Orleans queue each. Must equal the topic's partition count (verified against
    /// broker metadata at start-up) and must stay stable: the Orleans guide warns that changing it strands messages.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Used when a partition has no checkpoint, or its checkpoint lies beyond the partition's end.</summary>
    public KafkaStartPosition StartFrom { get; set; } = KafkaStartPosition.Beginning;

    /// <summary>
    /// Sent as <c>group.id</c> and used to commit checkpointed offsets so that broker tools show progress. The group
    /// never joins or rebalances: each receiver assigns its one partition by hand because Orleans owns balancing.
    /// </summary>
    public string ConsumerGroup { get; set; } = "healthcare-orleans";

    /// <summary>Extra librdkafka settings (e.g. <c>security.protocol</c>); they override the provider's defaults.</summary>
    public IDictionary<string, string> KafkaConfig { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How often delivered offsets are persisted even when nothing else forces it (dotnet/orleans#10093).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Names the log incarnation the offsets belong to (config <c>Kafka:SourceId</c>). Offsets are only meaningful within
    /// one log: keep this stable for a broker that keeps its log (Kafka, Event Hubs), change it when the topic is
    /// re-created or the log is lost, and give the embedded broker a fresh one at every start
    /// (<c>EmbeddedKafkaBroker.SourceId</c>), because its log is new each time. The lake's Bronze layer keys its
    /// exactly-once bookkeeping on it.
    /// </summary>
    public string SourceId { get; set; } = "kafka";

    /// <summary>
    /// How long a delivered position must have been delivered before it may be checkpointed. Consumers that persist
    /// their state a little after processing (the patient grain writes after <c>Patients:StateWriteDelay</c>) would
    /// otherwise lose the tail of their work when a silo dies right after a checkpoint. Zero checkpoints at once.
    /// </summary>
    public TimeSpan CheckpointSettleDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// With a checkpoint store that leases partitions (<see cref="Checkpointing.IPartitionOwnershipStore"/>): how long a
    /// lease lasts without renewal (renewed every third of it). A silo killed while owning a partition delays its next
    /// owner until membership declares it dead, or by at most this when the holder's silo is unknown to membership.
    /// </summary>
    public TimeSpan PartitionLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a receiver may take to let go of its partition at shutdown: stop reading, flush the record sink, wait
    /// out <see cref="CheckpointSettleDelay"/>, save the final checkpoint and release the lease. Keep it below the
    /// host's shutdown timeout.
    /// </summary>
    public TimeSpan HandoverTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// When another silo dies, how far back this silo's receivers hand their records to the consumers again (with a
    /// record redelivery registered, see <see cref="Tap.IRecordRedelivery"/>). It must cover the time Orleans takes to
    /// declare a silo dead plus the consumers' save delay.
    /// </summary>
    public TimeSpan SiloLossRedeliveryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Local directory of the file checkpoint store; <see langword="null"/> keeps checkpoints in memory.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Messages Orleans' queue cache holds per partition before the pulling agent stops reading.</summary>
    public int CacheSize { get; set; } = 4096;

    /// <summary>Messages read ahead from the broker per partition while the pulling agent is busy.</summary>
    public int PrefetchCount { get; set; } = 1024;

    /// <summary>
    /// Most messages one batch container carries: consecutive messages of one stream taken in one read share a
    /// container, so a stream per partition is delivered a read at a time. Bounds the work one delivery holds up.
    /// </summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>
    /// How long one read waits for a message when the partition is idle. The wait is asynchronous (no thread is
    /// held) and ends the moment a message arrives, so a longer wait lowers latency and idle CPU together; it also
    /// bounds how long a silo shutdown waits for the read in progress.
    /// </summary>
    public TimeSpan MaxReadWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a read waits for the partition's earlier reads to reach their consumers before it reads on regardless.
    /// Messages that arrive during a delivery gather in the receiver, and the next read takes them all as one batch: a
    /// delivery carries what arrived while the previous one ran, so batches grow with the load and a message of an
    /// idle partition is read the moment it arrives. The bound keeps a stream no consumer takes from holding the
    /// partition; <see cref="TimeSpan.Zero"/> reads without waiting.
    /// </summary>
    public TimeSpan MaxDeliveryWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long Orleans retries delivering one message to a consumer that throws before it gives up on that message
    /// and moves on (Orleans' <c>StreamPullingAgentOptions.MaxEventDeliveryTime</c>, one minute by default). Bounded
    /// so that a poison message cannot hold a partition's acknowledgements (dotnet/orleans#7807).
    /// </summary>
    public TimeSpan MaxEventDeliveryTime { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long the provider keeps handing one message to a consumer whose delivery keeps failing, one
    /// <see cref="MaxEventDeliveryTime"/> after another, before it skips that message (logged as an error; the message
    /// stays in Kafka and in Bronze). A consumer that is only away for a while — its silo stopping or dying, a starved
    /// cluster — gets every message in order; only a message that fails this long is given up.
    /// </summary>
    public TimeSpan MaxDeliveryRetryTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout for broker metadata and watermark queries.</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a receiver refreshes its partition's high watermark for the lag metric.</summary>
    public TimeSpan WatermarkRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Points the provider at an Azure Event Hubs namespace's Kafka endpoint. Takes a connection string of the form
    /// <c>Endpoint=sb://&lt;ns&gt;.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=&lt;hub&gt;]</c>.
    /// </summary>
    public KafkaStreamOptions UseEventHubs(string connectionString)
    {
        EventHubsKafkaEndpoint.Parse(connectionString).ApplyTo(this);
        return this;
    }
}
