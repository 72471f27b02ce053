using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthcareOrleans.Streaming.Kafka.Embedded;

/// <summary>
/// An in-process Kafka broker: librdkafka's mock cluster, started by a client configured with
/// <c>test.mock.num.brokers=1</c>. It listens on 127.0.0.1, so any Kafka client (kcat included) can produce to
/// <see cref="BootstrapServers"/> from outside the process. It keeps messages in memory and lives exactly as long as
/// this object: checkpoints of a previous run point past its end, which the receivers detect and reset.
/// Start it before the silo (either <see cref="StartAsync(IEnumerable{string}, ILogger?, CancellationToken)"/> or as a
/// hosted service registered ahead of Orleans), because the stream provider verifies the topic at start-up.
/// </summary>
public sealed partial class EmbeddedKafkaBroker : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<string> _topics;
    private readonly ILogger _logger;
    private IProducer<Null, Null>? _anchor;
    private IAdminClient? _admin;
    private string? _bootstrapServers;
    private string? _sourceId;

    /// <param name="topics">Topics to create (4 partitions each, the mock cluster's default); the patient-flow topic when empty.</param>
    public EmbeddedKafkaBroker(IEnumerable<string>? topics = null, ILogger<EmbeddedKafkaBroker>? logger = null)
        : this(topics, (ILogger?)logger)
    {
    }

    private EmbeddedKafkaBroker(IEnumerable<string>? topics, ILogger? logger)
    {
        _topics = topics?.ToArray() is { Length: > 0 } list ? list : [PatientFlowStreams.DefaultTopic];
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Partitions of a topic the mock cluster creates on first use.</summary>
    public const int DefaultPartitions = 4;

    /// <summary>
    /// <c>fetch.wait.max.ms</c> for the consumers of this broker. A real broker answers a fetch as soon as data arrives;
    /// librdkafka's mock cluster only when the wait ends, so here the wait is the floor of append → fetched. 5 ms keeps
    /// that floor a quarter of the 20 ms latency goal, for 200 empty fetches a second per idle partition, which an
    /// in-process broker serves for next to nothing. (The stream provider's default, 50 ms, is for real brokers.)
    /// </summary>
    public const int ConsumerFetchWaitMaxMs = 5;

    /// <summary>
    /// The largest produce request the embedded broker accepts. The mock cluster keeps about 5 MiB a partition and,
    /// when an append pushes out every earlier batch, it moves the log start past the batch it has just appended: a
    /// batch over half of that (a message of 6 MB, say) makes the next message unreadable although the broker
    /// acknowledged it. Refusing larger requests at the door keeps every acknowledged message readable; the producer
    /// sees its send fail instead of a silent loss. Messages far below this are still rejected later as
    /// <c>oversize</c> by the decoder (64 KiB), with their offset in Bronze.
    /// </summary>
    public const int MaxRequestBytes = 5 * 1024 * 1024 / 2;

    /// <summary><c>127.0.0.1:port</c> of the running broker.</summary>
    public string BootstrapServers =>
        _bootstrapServers ?? throw new InvalidOperationException("The embedded Kafka broker is not started. Call StartAsync first.");

    public bool IsRunning => _bootstrapServers is not null;

    /// <summary>
    /// A name for this broker's log, new at every start (<c>embedded-&lt;UTC start&gt;-&lt;random&gt;</c>). The log dies with the
    /// broker, so offsets of one start name different messages than the same offsets of the next: set
    /// <c>KafkaStreamOptions.SourceId</c> to this so that exactly-once bookkeeping keyed on offsets (Bronze's Delta txn)
    /// does not mistake a new run's offsets for ones it already holds.
    /// </summary>
    public string SourceId => _sourceId ?? throw new InvalidOperationException("The embedded Kafka broker is not started. Call StartAsync first.");

    /// <summary>Starts a broker with <paramref name="topics"/> created and ready for receivers.</summary>
    public static async Task<EmbeddedKafkaBroker> StartAsync(IEnumerable<string>? topics = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var broker = new EmbeddedKafkaBroker(topics, logger);
        await broker.StartAsync(cancellationToken).ConfigureAwait(false);
        return broker;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_anchor is not null)
        {
            return;
        }

        await Task.Run(() =>
        {
            var config = new ProducerConfig { BootstrapServers = "embedded:0" };
            config.Set("test.mock.num.brokers", "1");
            // The mock cluster applies its own client's receive limit to the requests it serves.
            config.Set("receive.message.max.bytes", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var anchor = new ProducerBuilder<Null, Null>(config)
                .SetLogHandler((_, message) => LogLibrdkafka(message.Level, message.Facility, message.Message))
                .Build();
            try
            {
                var admin = new DependentAdminClientBuilder(anchor.Handle).Build();
                var broker = admin.GetMetadata(MetadataTimeout).Brokers[0];
                _anchor = anchor;
                _admin = admin;
                _bootstrapServers = $"{broker.Host}:{broker.Port}";
                _sourceId = $"embedded-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid().ToString("N")[..8]}";
            }
            catch
            {
                anchor.Dispose();
                throw;
            }

            foreach (var topic in _topics)
            {
                EnsureTopic(topic, cancellationToken);
            }
        }, cancellationToken).ConfigureAwait(false);
        LogStarted(BootstrapServers, _topics);
    }

    /// <summary>
    /// Makes sure <paramref name="topic"/> exists. A metadata request for an unknown topic makes the mock cluster
    /// create it (AdminClient.CreateTopicsAsync does not work against the mock: it waits for a controller).
    /// </summary>
    public int EnsureTopic(string topic, CancellationToken cancellationToken = default)
    {
        var admin = _admin ?? throw new InvalidOperationException("The embedded Kafka broker is not started. Call StartAsync first.");
        var deadline = DateTime.UtcNow + MetadataTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metadata = admin.GetMetadata(topic, MetadataTimeout);
            var found = metadata.Topics.Find(t => t.Topic == topic);
            if (found is { Partitions.Count: > 0 } && found.Error.Code == Confluent.Kafka.ErrorCode.NoError)
            {
                return found.Partitions.Count;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The embedded Kafka broker did not create topic '{topic}' within {MetadataTimeout.TotalSeconds} s.");
            }

            Thread.Sleep(50);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        // The mock cluster belongs to the anchor producer: disposing it stops the broker and drops every message.
        _admin?.Dispose();
        _admin = null;
        _anchor?.Dispose();
        _anchor = null;
        if (_bootstrapServers is { } address)
        {
            _bootstrapServers = null;
            LogStopped(address);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka broker listening on {BootstrapServers} with topics {Topics}")]
    private partial void LogStarted(string bootstrapServers, IReadOnlyList<string> topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka broker on {BootstrapServers} stopped; its messages are gone")]
    private partial void LogStopped(string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Level} {Facility}: {Message}")]
    private partial void LogLibrdkafka(SyslogLevel level, string facility, string message);
}
