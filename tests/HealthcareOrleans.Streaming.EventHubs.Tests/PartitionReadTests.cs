using System.Diagnostics.CodeAnalysis;
using Azure.Messaging.EventHubs;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using HealthcareOrleans.Streaming.EventHubs.Testing;
using HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streaming.EventHubs;
using Orleans.Streaming.EventHubs.Testing;

namespace HealthcareOrleans.Streaming.EventHubs.Tests;

/// <summary>The tap and the data adapter between the package's generator receiver and the cache (no AMQP endpoint here).</summary>
public sealed class PartitionReadTests
{
    private static readonly ReceivedPartition Partition2 = new("eventhubs:test", EventHubsTestCluster.Hub, 2);

    [Fact]
    public async Task A_read_is_tapped_to_Bronze_and_cached_as_one_batch_on_the_partition_stream_WithGeneratorReceivers_NoAmqpEndpoint()
    {
        var log = new InMemoryHubPartition(2);
        log.AppendEvents(5, sequenceNumber => $"P{sequenceNumber % 2}");
        var sink = new RecordingSink();
        var hub = new GeneratorPartitionReceivers([new InMemoryHubPartition(0), new InMemoryHubPartition(1), log]);
        var receiver = new TappedPartitionReceiver(hub.Open(Settings("2"), 1, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), Partition2, sink);

        var reads = (await receiver.ReceiveAsync(100, TimeSpan.FromSeconds(1), CancellationToken.None)).ToList();

        Assert.Equal([1L], log.OpenedAt);
        var read = Assert.IsType<PartitionRead>(Assert.Single(reads));
        // Oracle: the events as the hub holds them, field by field.
        var expected = Enumerable.Range(1, 4).Select(s => log[s]).ToList();
        AssertRecordsAre(expected, sink.Records);
        Assert.All(sink.Partitions, p => Assert.Equal(Partition2, p));

        var adapter = new PartitionStreamDataAdapter(EventHubsTestCluster.Hub);
        var position = adapter.GetStreamPosition("2", read);
        Assert.Equal(PatientFlowStreams.PartitionNamespace, position.StreamId.GetNamespace());
        Assert.Equal("2", position.StreamId.GetKeyAsString());
        var cached = adapter.FromQueueMessage(position, read, DateTime.UtcNow, size => new ArraySegment<byte>(new byte[size + 7], 3, size));
        Assert.Equal(4, cached.SequenceNumber);
        Assert.Equal("5", adapter.GetOffset(cached));

        var container = adapter.GetBatchContainer(ref cached);
        Assert.Equal(position.StreamId, container.StreamId);
        var (batch, token) = Assert.Single(container.GetEvents<BrokerRecordBatch>());
        AssertRecordsAre(expected, batch.Records);
        Assert.Equal(position.SequenceToken, token);
        Assert.Equal("5", ((EventHubSequenceTokenV2)token).EventHubOffset);

        var records = container.GetEvents<BrokerRecord>().ToList();
        AssertRecordsAre(expected, [.. records.Select(r => r.Item1)]);
        Assert.Equal([0, 1, 2, 3], records.Select(r => r.Item2.EventIndex));
        Assert.Empty(container.GetEvents<string>());
    }

    [Fact]
    public async Task A_large_read_is_cached_in_slices_and_an_oversize_event_streams_without_its_bytes_WithGeneratorReceivers_NoAmqpEndpoint()
    {
        var bodies = new[] { 100_000, 100_000, 100_000, 300_000, 10 };
        var events = bodies.Select((size, i) => EventHubsModelFactory.EventData(
            new BinaryData(Enumerable.Repeat((byte)('a' + i), size).ToArray()), partitionKey: "P1", sequenceNumber: 40 + i, offsetString: null, enqueuedTime: InMemoryHubPartition.Epoch.AddSeconds(i))).ToList();
        var sink = new RecordingSink();
        var receiver = new TappedPartitionReceiver(new EventHubPartitionGeneratorReceiver(new OnceGenerator(events)), Partition2, sink);

        var reads = (await receiver.ReceiveAsync(100, TimeSpan.FromSeconds(1), CancellationToken.None)).Cast<PartitionRead>().ToList();

        AssertRecordsAre(events, sink.Records);
        // 100 kB + 100 kB fit a 256 KiB slice, a third does not; the 300 kB event streams as a few bytes, so 42–44 share one.
        Assert.Equal([[40L, 41L], [42L, 43L, 44L]], reads.Select(r => r.Records.Select(x => x.Offset).ToArray()));
        var oversize = reads[1].Records[1];
        Assert.Empty(oversize.Payload);
        Assert.Equal(300_000, oversize.DroppedPayloadBytes);
        Assert.All(reads, r => Assert.True(PartitionReadEncoding.EncodedSize(r.Records) <= TappedPartitionReceiver.MaxSliceBytes));
    }

    private static EventHubPartitionSettings Settings(string partition) =>
        new() { Hub = new EventHubOptions(), ReceiverOptions = new EventHubReceiverOptions(), Partition = partition };

    private static void AssertRecordsAre(IReadOnlyList<EventData> expected, IReadOnlyList<BrokerRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(EventHubsTestCluster.Hub, actual[i].Topic);
            Assert.Equal(2, actual[i].Partition);
            Assert.Equal(expected[i].SequenceNumber, actual[i].Offset);
            Assert.Equal(expected[i].EnqueuedTime.UtcDateTime, actual[i].AppendedAtUtc);
            Assert.Equal(DateTimeKind.Utc, actual[i].AppendedAtUtc.Kind);
            Assert.Equal(expected[i].PartitionKey, actual[i].Key);
            Assert.Equal(expected[i].EventBody.ToArray(), actual[i].Payload);
        }
    }

    private sealed class OnceGenerator(List<EventData> events) : IDataGenerator<EventData>
    {
        private bool _served;

        public bool TryReadEvents(int maxCount, [NotNullWhen(true)] out IEnumerable<EventData>? read)
        {
            read = _served ? [] : events;
            _served = true;
            return read.Any();
        }
    }

    private sealed class RecordingSink : IReceivedRecordSink
    {
        public List<BrokerRecord> Records { get; } = [];

        public List<ReceivedPartition> Partitions { get; } = [];

        public void Received(ReceivedPartition partition, BrokerRecord record)
        {
            Partitions.Add(partition);
            Records.Add(record);
        }

        public ValueTask<long?> GetResumeOffsetAsync(ReceivedPartition partition, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);

        public long? GetDurableNextOffset(ReceivedPartition partition) => null;

        public void Deliverable(ReceivedPartition partition, long nextOffset)
        {
        }

        public Task PartitionStoppingAsync(ReceivedPartition partition, long? deliveredNextOffset, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
