using System.Diagnostics.Metrics;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Providers;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

/// <summary>
/// The receiver's start and handover order, with every part it coordinates faked: no broker, no cluster. The cluster
/// tests show the same order end to end; these say which step a regression moved.
/// </summary>
public sealed class ReceiverHandoverSequenceTests : IDisposable
{
    private const string Provider = "fake-provider";
    private const string Topic = "fake-topic";
    private static readonly PartitionCheckpointKey Key = new(Provider, Topic, 0);

    private readonly FakeParts _parts = new();
    private readonly InMemoryPartitionCheckpointStore _store = new();
    private readonly FakeSink _sink;
    private readonly PrivateMeters _meters = new();

    public ReceiverHandoverSequenceTests() => _sink = new FakeSink(_parts.Steps);

    [Fact]
    public async Task A_handover_stops_reading_settles_commits_the_sink_at_the_delivered_offset_checkpoints_then_releases_with_fake_parts()
    {
        await _store.SaveAsync(Key, 20, default);
        _sink.ResumeOffset = 20;
        _parts.Reader.Pending.AddRange(Enumerable.Range(20, 5).Select(offset => Batch(offset)));
        var receiver = CreateReceiver();

        await receiver.Initialize(TimeSpan.FromSeconds(5));
        var batches = await receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        Assert.Equal(5, batches.Count);

        // 20-22 reach their consumers; 23 and 24 were read but not delivered: the handover point is 23.
        foreach (var batch in batches.Take(3))
        {
            receiver.CursorPassed(batch);
        }

        Assert.Equal(23, _parts.Checkpointer.LastDelivered);
        Assert.Equal(23, _sink.LastDeliverable);

        await receiver.Shutdown(TimeSpan.FromSeconds(5));

        var handover = _parts.Steps.SkipWhile(step => step != "lease.extend").ToList();
        Assert.Equal(
            [
                "lease.extend",
                "reader.stop",
                "checkpointer.settle",
                "sink.stopping@23",
                "checkpointer.final",
                "lease.release",
                "reader.dispose",
                "checkpointer.dispose",
                "consumer.close",
                "consumer.dispose",
            ],
            handover);
    }

    [Fact]
    public async Task Before_its_first_delivery_report_the_sink_may_hold_nothing_past_the_start_and_a_handover_then_is_at_the_start_with_fake_parts()
    {
        await _store.SaveAsync(Key, 20, default);
        _sink.ResumeOffset = 20;
        _parts.Reader.Pending.AddRange(Enumerable.Range(20, 5).Select(offset => Batch(offset)));
        var receiver = CreateReceiver();

        await receiver.Initialize(TimeSpan.FromSeconds(5));
        Assert.Equal(5, (await receiver.GetQueueMessagesAsync(10, CancellationToken.None)).Count);

        // Read ahead, nothing delivered yet: the sink is bounded at the start, not left to commit the read-ahead.
        Assert.Equal(20, _sink.LastDeliverable);

        await receiver.Shutdown(TimeSpan.FromSeconds(5));
        Assert.Contains("sink.stopping@20", _parts.Steps);
    }

    [Theory]
    [InlineData(40, 25, 25)]
    [InlineData(40, 60, 40)]
    public async Task A_new_owner_waits_for_the_release_then_resumes_at_the_lower_of_checkpoint_and_sink_with_fake_parts(
        long checkpoint, long sinkNeeds, long expectedStart)
    {
        await _store.SaveAsync(Key, checkpoint, default);
        _sink.ResumeOffset = sinkNeeds;
        _parts.Lease.HeldByPreviousOwner = true;
        var receiver = CreateReceiver();

        await receiver.Initialize(TimeSpan.FromSeconds(5));
        Assert.Empty(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));
        Assert.DoesNotContain("consumer.create", _parts.Steps);

        _parts.Lease.HeldByPreviousOwner = false;
        await receiver.GetQueueMessagesAsync(10, CancellationToken.None);

        Assert.Equal(
            ["consumer.create", "consumer.watermarks", $"checkpointer.create@{checkpoint}", "checkpointer.start", $"reader.start@{expectedStart}"],
            _parts.Steps.Where(step => !step.StartsWith("lease.", StringComparison.Ordinal)));

        await receiver.Shutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_read_waits_until_the_previous_read_is_delivered_and_then_takes_what_arrived_meanwhile_as_one_read_with_fake_parts()
    {
        _parts.Reader.Pending.Add(Batch(0));
        var receiver = CreateReceiver(o => o.MaxDeliveryWait = TimeSpan.FromMinutes(1));
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        var first = await receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        Assert.Single(first);

        var next = receiver.GetQueueMessagesAsync(10, CancellationToken.None);
        _parts.Reader.Pending.AddRange([Batch(1), Batch(2), Batch(3)]);
        Assert.False(next.IsCompleted);

        receiver.CursorPassed(first[0]);
        var second = await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L, 3L], second.Cast<KafkaBatchContainer>().Select(b => b.FirstOffset));
        await receiver.Shutdown(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_read_whose_previous_read_is_never_delivered_reads_on_after_the_delivery_wait_with_fake_parts()
    {
        _parts.Reader.Pending.Add(Batch(0));
        var receiver = CreateReceiver(o => o.MaxDeliveryWait = TimeSpan.FromMilliseconds(100));
        await receiver.Initialize(TimeSpan.FromSeconds(5));
        Assert.Single(await receiver.GetQueueMessagesAsync(10, CancellationToken.None));

        // No consumer moves past offset 0 (a stream nobody subscribes to): the partition is not held by it.
        _parts.Reader.Pending.Add(Batch(1));
        var second = await receiver.GetQueueMessagesAsync(10, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, Assert.IsType<KafkaBatchContainer>(Assert.Single(second)).FirstOffset);
        await receiver.Shutdown(TimeSpan.FromSeconds(5));
    }

    public void Dispose() => _meters.Dispose();

    private KafkaQueueAdapterReceiver CreateReceiver(Action<KafkaStreamOptions>? configure = null)
    {
        var options = new KafkaStreamOptions { Topic = Topic, BootstrapServers = "unused:9092", SourceId = "fake-log" };
        configure?.Invoke(options);
        var monitor = new KafkaPartitionMonitor();
        return new KafkaQueueAdapterReceiver(
            Provider, options, 0, _store, _sink, _parts, monitor, new KafkaStreamInstruments(_meters, monitor), NullLoggerFactory.Instance, TimeProvider.System);
    }

    private static KafkaBatchContainer Batch(long offset) =>
        new(StreamId.Create("fake", "key"), new BrokerRecordBatch([new BrokerRecord(Topic, 0, offset, DateTime.UtcNow, "key", [])]));

    private sealed class FakeParts : IReceiverPartsFactory
    {
        public FakeParts()
        {
            Lease = new FakeLease(Steps);
            Reader = new FakeReader(Steps);
            Checkpointer = new FakeCheckpointer(Steps);
        }

        public List<string> Steps { get; } = [];

        public FakeLease Lease { get; }

        public FakeReader Reader { get; }

        public FakeCheckpointer Checkpointer { get; }

        public IPartitionLease CreateLease(PartitionCheckpointKey key, ILogger logger) => Lease;

        public IPartitionConsumer CreateConsumer(int partition, ILogger logger)
        {
            Steps.Add("consumer.create");
            return new FakeConsumer(Steps, Reader);
        }

        public IPartitionCheckpointer CreateCheckpointer(
            PartitionCheckpointKey key, long? loaded, Action<long> afterSave, PartitionTracker tracker, Func<long?>? durableLimit)
        {
            Steps.Add($"checkpointer.create@{loaded}");
            return Checkpointer;
        }
    }

    private sealed class FakeLease(List<string> steps) : IPartitionLease
    {
        public bool HeldByPreviousOwner { get; set; }

        public ValueTask<bool> HoldAsync(CancellationToken cancellationToken) => ValueTask.FromResult(!HeldByPreviousOwner);

        public ValueTask ExtendForHandoverAsync(TimeSpan handover, CancellationToken cancellationToken)
        {
            steps.Add("lease.extend");
            return ValueTask.CompletedTask;
        }

        public ValueTask ReleaseAsync(CancellationToken cancellationToken)
        {
            steps.Add("lease.release");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FakeConsumer(List<string> steps, FakeReader reader) : IPartitionConsumer
    {
        public WatermarkOffsets QueryWatermarkOffsets(TimeSpan timeout)
        {
            steps.Add("consumer.watermarks");
            return new WatermarkOffsets(new Offset(0), new Offset(100));
        }

        public void Commit(long nextOffset) => steps.Add($"consumer.commit@{nextOffset}");

        public IPartitionReader CreateReader(PartitionTracker tracker, Action<BrokerRecord>? tap) => reader;

        public void Close() => steps.Add("consumer.close");

        public void Dispose() => steps.Add("consumer.dispose");
    }

    private sealed class FakeReader(List<string> steps) : IPartitionReader
    {
        public List<KafkaBatchContainer> Pending { get; } = [];

        public int Buffered => Pending.Count;

        public void Start(Offset startOffset) => steps.Add($"reader.start@{startOffset.Value}");

        public Task<IList<IBatchContainer>> ReadAsync(int maxCount, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            IList<IBatchContainer> read = [.. Pending.Take(maxCount)];
            Pending.RemoveRange(0, read.Count);
            return Task.FromResult(read);
        }

        public Task StopAsync()
        {
            steps.Add("reader.stop");
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            steps.Add("reader.dispose");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FakeCheckpointer(List<string> steps) : IPartitionCheckpointer
    {
        public long LastDelivered { get; private set; } = -1;

        public long SavedOffset { get; private set; } = -1;

        public void Start() => steps.Add("checkpointer.start");

        public void Delivered(long nextOffset) => LastDelivered = nextOffset;

        public Task SettleAsync(CancellationToken cancellationToken)
        {
            steps.Add("checkpointer.settle");
            return Task.CompletedTask;
        }

        public Task SaveFinalAsync(CancellationToken cancellationToken)
        {
            steps.Add("checkpointer.final");
            SavedOffset = LastDelivered;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            steps.Add("checkpointer.dispose");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FakeSink(List<string> steps) : IReceivedRecordSink
    {
        public long? ResumeOffset { get; set; }

        public long LastDeliverable { get; private set; } = -1;

        public void Received(ReceivedPartition partition, BrokerRecord record)
        {
        }

        public ValueTask<long?> GetResumeOffsetAsync(ReceivedPartition partition, CancellationToken cancellationToken) =>
            ValueTask.FromResult(ResumeOffset);

        public long? GetDurableNextOffset(ReceivedPartition partition) => LastDeliverable >= 0 ? LastDeliverable : null;

        public void Deliverable(ReceivedPartition partition, long nextOffset) => LastDeliverable = nextOffset;

        public Task PartitionStoppingAsync(ReceivedPartition partition, long? deliveredNextOffset, CancellationToken cancellationToken)
        {
            steps.Add($"sink.stopping@{deliveredNextOffset}");
            return Task.CompletedTask;
        }
    }

    /// <summary>The instruments need a meter factory; these tests read none of them.</summary>
    private sealed class PrivateMeters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(meter => meter.Dispose());
    }
}
