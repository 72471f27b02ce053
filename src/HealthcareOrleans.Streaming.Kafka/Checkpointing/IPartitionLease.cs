namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>A receiver's hold on its partition (<see cref="PartitionLease"/>).</summary>
internal interface IPartitionLease
{
    /// <summary>True when the receiver may read; false while the previous owner still holds the partition.</summary>
    ValueTask<bool> HoldAsync(CancellationToken cancellationToken);

    /// <summary>Keeps the hold over a handover of up to <paramref name="handover"/>.</summary>
    ValueTask ExtendForHandoverAsync(TimeSpan handover, CancellationToken cancellationToken);

    /// <summary>Lets the next owner start.</summary>
    ValueTask ReleaseAsync(CancellationToken cancellationToken);
}
