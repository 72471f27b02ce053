using HealthcareOrleans.Medallion.Gold;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Grains.Gold;

/// <summary>
/// The changed patients of every active silo, taken from each silo's <see cref="GoldChangeTracker"/>. Cheap (one call
/// per silo per flush; no grain is scanned) and, while silos live, unable to miss a patient: a patient is marked on
/// the silo that applied its event and stays marked until a flush that read it has committed. A silo that dies takes
/// its unflushed marks with it; the patient grains re-mark themselves when the stream redelivers their events, and a
/// patient whose state was saved and whose events are past the checkpoint reaches Gold with its next event or a rebuild.
/// </summary>
public sealed partial class SiloGoldChangeFeed(IClusterMembershipService membership, IGoldChangeServiceClient services, ILogger<SiloGoldChangeFeed> logger) : IGoldChangeFeed
{
    public async Task<GoldChangeSet> TakeAsync(CancellationToken cancellationToken)
    {
        var silos = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        var takes = await Task.WhenAll(silos.Select(async silo =>
        {
            try
            {
                return (Silo: silo, Take: (GoldChangeTake?)await services.On(silo).TakeAsync().WaitAsync(cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A silo on its way out cannot hold up Gold for everyone else; whatever it marked is lost with it (see above).
                LogSiloUnavailable(logger, silo.ToString(), e);
                return (Silo: silo, Take: null);
            }
        }));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var receipts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (silo, take) in takes)
        {
            if (take is not null)
            {
                ids.UnionWith(take.PatientIds);
                receipts[silo.ToParsableString()] = take.Receipt;
            }
        }

        return new GoldChangeSet(ids, receipts);
    }

    public async Task ConfirmAsync(GoldChangeSet changes, CancellationToken cancellationToken)
    {
        await Task.WhenAll(changes.Receipts.Select(async r =>
        {
            try
            {
                await services.On(SiloAddress.FromParsableString(r.Key)).ConfirmAsync(r.Value).WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unconfirmed patients are simply flushed again next time: their rows are replaced with the same rows.
                LogSiloUnavailable(logger, r.Key, e);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gold change tracker of silo {Silo} did not answer")]
    private static partial void LogSiloUnavailable(ILogger logger, string silo, Exception exception);
}
