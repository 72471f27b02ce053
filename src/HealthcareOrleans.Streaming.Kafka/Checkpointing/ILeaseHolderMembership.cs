namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Names lease owners after their silo and tells whether a lease's holder runs on a silo the cluster has declared
/// dead, so its partition can be taken over without waiting for the lease to run out.
/// </summary>
public interface ILeaseHolderMembership
{
    /// <summary>The owner name for one receiver's lease on this silo.</summary>
    string OwnerName(string receiverInstance);

    /// <summary>True only when <paramref name="holder"/> names a silo that membership has declared dead; false when unsure.</summary>
    bool IsDeclaredDead(string holder);
}
