using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// One receiver's hold on its partition, when the checkpoint store leases partitions (<see cref="IPartitionOwnershipStore"/>):
/// taken before the first read, renewed every third of its length while reading, stretched over the handover at
/// shutdown and released after the final checkpoint. Without a lease store every call says yes.
/// </summary>
internal sealed partial class PartitionLease(
    IPartitionOwnershipStore? owners,
    PartitionCheckpointKey key,
    TimeSpan length,
    TimeProvider clock,
    ILogger logger) : IPartitionLease
{
    private readonly string _owner = Environment.MachineName + "/" + Environment.ProcessId + "/" + Guid.NewGuid().ToString("N")[..8];
    private long _renewedAt;
    private bool _held;
    private bool _waitingLogged;

    /// <summary>True when the receiver may read. While the previous owner still holds the lease this returns false and the agent polls again.</summary>
    public async ValueTask<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (owners is null)
        {
            return true;
        }

        var now = clock.GetTimestamp();
        if (_held && clock.GetElapsedTime(Interlocked.Read(ref _renewedAt), now) < length / 3)
        {
            return true;
        }

        if (await owners.TryAcquireAsync(key, _owner, length, cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _renewedAt, now);
            _held = true;
            return true;
        }

        if (!_held)
        {
            if (!_waitingLogged)
            {
                _waitingLogged = true;
                LogWaitingForPreviousOwner(key.Topic, key.Partition);
            }

            return false;
        }

        // Someone else holds a lease we held: ours ran out (a long pause). Reading on stays safe — Bronze commits are
        // idempotent per offset and consumers deduplicate — so say it loudly rather than stall the partition.
        LogLeaseLost(key.Topic, key.Partition);
        return true;
    }

    /// <summary>Reads stop renewing the lease at shutdown; it must outlast the handover, or the next owner starts early.</summary>
    public async ValueTask ExtendForHandoverAsync(TimeSpan handover, CancellationToken cancellationToken)
    {
        if (owners is not null && _held)
        {
            await owners.TryAcquireAsync(key, _owner, handover + length, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lets the next owner start.</summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        if (owners is not null && _held)
        {
            await owners.ReleaseAsync(key, _owner, cancellationToken).ConfigureAwait(false);
            _held = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka {Topic}/{Partition}: waiting for the previous owner to release the partition")]
    private partial void LogWaitingForPreviousOwner(string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic}/{Partition}: another receiver holds this partition's lease; this one's lease ran out")]
    private partial void LogLeaseLost(string topic, int partition);
}
