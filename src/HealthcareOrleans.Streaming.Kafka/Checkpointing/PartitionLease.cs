using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// One receiver's hold on its partition, when the checkpoint store leases partitions (<see cref="IPartitionOwnershipStore"/>):
/// taken before the first read, renewed every third of its length while reading, stretched over the handover at
/// shutdown and released after the final checkpoint. A lease whose holder's silo membership has declared dead is taken
/// over at once; a live holder (a graceful handover) is waited for. Without a lease store every call says yes.
/// </summary>
internal sealed partial class PartitionLease(
    IPartitionOwnershipStore? owners,
    PartitionCheckpointKey key,
    TimeSpan length,
    TimeProvider clock,
    ILogger logger,
    ILeaseHolderMembership? membership = null) : IPartitionLease
{
    private readonly string _owner = OwnerName(membership, Guid.NewGuid().ToString("N")[..8]);
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

        if (await TryTakeOverFromDeadSiloAsync(cancellationToken).ConfigureAwait(false))
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

    /// <summary>The lease's owner name: after the silo when membership is known, so other silos can tell when it died.</summary>
    public string Owner => _owner;

    private static string OwnerName(ILeaseHolderMembership? membership, string instance) =>
        membership?.OwnerName(instance) ?? Environment.MachineName + "/" + Environment.ProcessId + "/" + instance;

    // Without membership (or for a holder it cannot place) the dead holder's lease is waited out, as before.
    private async ValueTask<bool> TryTakeOverFromDeadSiloAsync(CancellationToken cancellationToken)
    {
        if (owners is null || membership is null
            || await owners.GetHolderAsync(key, cancellationToken).ConfigureAwait(false) is not { } holder
            || !membership.IsDeclaredDead(holder))
        {
            return false;
        }

        // Compare and swap on the dead holder's name: of the survivors trying at once, one wins; the others wait for it.
        if (!await owners.TryTakeOverAsync(key, holder, _owner, length, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        LogTookOverFromDeadSilo(key.Topic, key.Partition, holder);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka {Topic}/{Partition}: took the partition over from {Holder}, whose silo was declared dead")]
    private partial void LogTookOverFromDeadSilo(string topic, int partition, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic}/{Partition}: another receiver holds this partition's lease; this one's lease ran out")]
    private partial void LogLeaseLost(string topic, int partition);
}
