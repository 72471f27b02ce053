using System.Diagnostics;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Tap;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Where one partition's delivered position stood over the last minutes (one mark a second), and the replay of a range
/// of it to the consumers after another silo died (<see cref="SiloLossRedeliveryService"/>).
/// </summary>
internal sealed class RecentRecordReplay(TimeProvider clock)
{
    private readonly Queue<(DateTimeOffset At, long Delivered)> _marks = new();
    private readonly object _gate = new();
    private DateTimeOffset _lastMark = DateTimeOffset.MinValue;

    /// <summary>How long marks are kept: longer than any redelivery window.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);

    public void StartAt(long offset)
    {
        lock (_gate)
        {
            _marks.Clear();
            _marks.Enqueue((clock.GetUtcNow(), offset));
            _lastMark = clock.GetUtcNow();
        }
    }

    public void Delivered(long nextOffset)
    {
        var now = clock.GetUtcNow();
        if (now - _lastMark < TimeSpan.FromSeconds(1))
        {
            return;
        }

        lock (_gate)
        {
            _lastMark = now;
            _marks.Enqueue((now, nextOffset));
            while (_marks.Count > 1 && now - _marks.Peek().At > Kept)
            {
                _marks.Dequeue();
            }
        }
    }

    /// <summary>The delivered position as of <paramref name="at"/> (the oldest one known when <paramref name="at"/> is older); -1 before any start.</summary>
    public long DeliveredAt(DateTimeOffset at)
    {
        lock (_gate)
        {
            var position = -1L;
            foreach (var (markedAt, delivered) in _marks)
            {
                if (position >= 0 && markedAt > at)
                {
                    break;
                }

                position = delivered;
            }

            return position;
        }
    }

    /// <summary>
    /// Reads [<paramref name="from"/>, <paramref name="to"/>) of the partition with a consumer of its own and hands each
    /// record to <paramref name="redelivery"/>: one stream key's records in offset order, keys side by side.
    /// </summary>
    public static async Task<int> ReplayAsync(
        ConsumerConfig config, TopicPartition partition, long from, long to, IRecordRedelivery redelivery, CancellationToken cancellationToken)
    {
        var records = await Task.Run(() => Read(config, partition, from, to, cancellationToken), cancellationToken).ConfigureAwait(false);
        var byKey = records.GroupBy(r => r.Key ?? string.Empty, StringComparer.Ordinal);
        await Parallel.ForEachAsync(byKey, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (group, ct) =>
        {
            foreach (var record in group)
            {
                await redelivery.RedeliverAsync(record, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return records.Count;
    }

    private static List<BrokerRecord> Read(ConsumerConfig config, TopicPartition partition, long from, long to, CancellationToken cancellationToken)
    {
        var records = new List<BrokerRecord>((int)Math.Min(to - from, 1_000_000));
        using var consumer = new ConsumerBuilder<string?, byte[]?>(config).Build();
        consumer.Assign(new TopicPartitionOffset(partition, new Offset(from)));
        var quiet = Stopwatch.StartNew();
        var next = from;
        while (next < to && quiet.Elapsed < TimeSpan.FromSeconds(30))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            cancellationToken.ThrowIfCancellationRequested();
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            quiet.Restart();
            if (result.Offset.Value >= to)
            {
                break;
            }

            records.Add(BrokerRecords.From(result));
            next = result.Offset.Value + 1;
        }

        consumer.Close();
        return records;
    }
}
