namespace HealthcareOrleans.Medallion.Gold;

/// <summary>Which patients changed since the last Gold flush: taken before the flush, confirmed after it committed.</summary>
public interface IGoldChangeFeed
{
    Task<GoldChangeSet> TakeAsync(CancellationToken cancellationToken);

    /// <summary>The rows of <paramref name="changes"/> are committed: the sources may forget them.</summary>
    Task ConfirmAsync(GoldChangeSet changes, CancellationToken cancellationToken);
}

/// <param name="Receipts">What to confirm, per source (per silo for <c>SiloGoldChangeFeed</c>).</param>
public sealed record GoldChangeSet(IReadOnlyCollection<string> PatientIds, IReadOnlyDictionary<string, long> Receipts);
