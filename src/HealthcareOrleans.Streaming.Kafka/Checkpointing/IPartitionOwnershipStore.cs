namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Optional, implemented by a checkpoint store shared between silos: a lease on each partition, so the silo that
/// takes a partition over waits until its previous owner has released it — after that owner's last Bronze flush and
/// final checkpoint — instead of starting from an older checkpoint (dotnet/orleans#11242). A killed owner cannot
/// release; its lease is taken over once the cluster has declared its silo dead, or runs out.
/// </summary>
public interface IPartitionOwnershipStore
{
    /// <summary>Takes or renews the lease for <paramref name="owner"/>; false while another owner holds it.</summary>
    ValueTask<bool> TryAcquireAsync(PartitionCheckpointKey key, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Who holds the lease now; null when nobody does.</summary>
    ValueTask<string?> GetHolderAsync(PartitionCheckpointKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the lease to <paramref name="owner"/> only if <paramref name="holder"/> still holds it (compare and swap),
    /// so of several receivers taking a dead holder's lease at once exactly one wins.
    /// </summary>
    ValueTask<bool> TryTakeOverAsync(PartitionCheckpointKey key, string holder, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if <paramref name="owner"/> still holds it.</summary>
    ValueTask ReleaseAsync(PartitionCheckpointKey key, string owner, CancellationToken cancellationToken);
}
