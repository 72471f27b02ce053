using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.SilverLake;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>
/// The changed patients of <paramref name="inner"/> (the in-memory marks of the silos) plus every patient that Silver
/// holds new events of since the last confirmed Gold flush (<see cref="GoldSilverProgress"/>). The marks make Gold
/// fresh; the Silver part makes it complete: marks die with a stopped or killed silo, Silver's commits do not, so
/// what Gold still owes is derived from Silver's progress and survives any crash (Gold's rows are a function of a
/// patient's accepted events, and every accepted event is a Silver row).
/// </summary>
public sealed class SilverProgressChangeFeed(IGoldChangeFeed inner, ILakeStorage storage) : IGoldChangeFeed
{
    private const string SilverReceipt = "silver";
    private static readonly string[] PatientColumn = ["patient_id"];

    private DeltaTable? _silver;

    public async Task<GoldChangeSet> TakeAsync(CancellationToken cancellationToken)
    {
        var marked = await inner.TakeAsync(cancellationToken).ConfigureAwait(false);
        _silver ??= await DeltaTable.OpenOrCreateAsync(storage, SilverEventsTable.Path, SilverEventsTable.Definition, cancellationToken: cancellationToken).ConfigureAwait(false);
        var silver = await _silver.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var done = await GoldSilverProgress.ReadAsync(storage, cancellationToken).ConfigureAwait(false);
        if (silver.Version <= done)
        {
            return marked;
        }

        var ids = new HashSet<string>(marked.PatientIds, StringComparer.Ordinal);
        foreach (var file in await NewFilesAsync(_silver, done, silver, cancellationToken).ConfigureAwait(false))
        {
            var batch = await _silver.ReadFileAsync(file, silver, PatientColumn, cancellationToken).ConfigureAwait(false);
            foreach (var id in batch.Column<string?>("patient_id"))
            {
                ids.Add(id!);
            }
        }

        var receipts = new Dictionary<string, long>(marked.Receipts, StringComparer.Ordinal) { [SilverReceipt] = silver.Version };
        return new GoldChangeSet(ids, receipts);
    }

    public async Task ConfirmAsync(GoldChangeSet changes, CancellationToken cancellationToken)
    {
        var marks = changes.Receipts.Where(r => r.Key != SilverReceipt).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        await inner.ConfirmAsync(changes with { Receipts = marks }, cancellationToken).ConfigureAwait(false);
        if (changes.Receipts.TryGetValue(SilverReceipt, out var silverVersion))
        {
            await GoldSilverProgress.WriteAsync(storage, silverVersion, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The files Silver added after version <paramref name="done"/>; the whole table when Gold has no progress yet or
    /// when those commits' files are gone (compacted and vacuumed): re-flushing a patient rewrites the same rows.
    /// </summary>
    private static async Task<IReadOnlyCollection<AddFile>> NewFilesAsync(DeltaTable table, long done, DeltaSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (done <= 0)
        {
            return snapshot.ActiveFiles;
        }

        var changes = await table.GetChangesAsync(done + 1, snapshot.Version, cancellationToken).ConfigureAwait(false);
        var added = changes.SelectMany(c => c.AddedFiles).ToList();
        var active = snapshot.ActiveFiles.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return added.All(f => active.Contains(f.Path)) ? added : snapshot.ActiveFiles;
    }
}
