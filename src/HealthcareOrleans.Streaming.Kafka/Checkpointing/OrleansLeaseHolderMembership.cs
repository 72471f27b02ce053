using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>
/// Lease owners named "silo address/receiver", judged by Orleans membership's current snapshot. Taking a dead silo's
/// lease at once is safe because Orleans declares a silo dead only by its peers' votes after missed probes, and a silo
/// that reads itself declared dead stops itself; if it still reads for the moment before it learns so, the records it
/// reads twice are harmless (Bronze commits are idempotent per offset and consumers deduplicate).
/// </summary>
internal sealed class OrleansLeaseHolderMembership(IClusterMembershipService membership, SiloAddress self) : ILeaseHolderMembership
{
    private const char Separator = '/';

    public string OwnerName(string receiverInstance) => self.ToParsableString() + Separator + receiverInstance;

    public bool IsDeclaredDead(string holder)
    {
        var end = holder.IndexOf(Separator, StringComparison.Ordinal);
        if (end <= 0)
        {
            return false;
        }

        // A holder not named after a silo (another host's owner name) is waited out.
        return SiloAddress.TryParse(holder[..end], null, out var silo)
            && membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;
    }
}
