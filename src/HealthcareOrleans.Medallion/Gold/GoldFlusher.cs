using System.Diagnostics;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Flush;
using HealthcareOrleans.PatientFlow.Hospital;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>
/// The Gold layer's flush step (run by the layer's flush grain on <c>LakeOptions.GoldFlushInterval</c>): take the
/// patients that changed, read their rows from their grains, write them, then confirm the take. Idempotent by
/// construction: rows are replaced per patient with the patient's current rows, so a retry, a duplicate take or a
/// flush after a restart writes the same rows again, and a flush with nothing changed commits nothing.
/// </summary>
public sealed partial class GoldFlusher(
    ILakeStorage storage,
    IGoldChangeFeed changes,
    IGoldRowSource rows,
    HospitalDirectory hospital,
    TimeProvider clock,
    ILogger<GoldFlusher> logger) : ILakeLayerFlusher
{
    private GoldWriter? _writer;

    public string Layer => LakeLayers.Gold;

    public async Task<IReadOnlyList<FlushStatus>> FlushAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            _writer ??= await GoldWriter.OpenAsync(storage, cancellationToken: cancellationToken);
            var taken = await changes.TakeAsync(cancellationToken);
            var patients = taken.PatientIds.Count == 0 ? [] : await rows.GetAsync(taken.PatientIds, cancellationToken);
            var writes = await _writer.WriteAsync(patients, hospital.Layout, clock.GetUtcNow(), cancellationToken);
            await changes.ConfirmAsync(taken, cancellationToken);
            watch.Stop();
            var commits = writes.Count(w => w.Committed);
            LogFlushed(logger, taken.PatientIds.Count, commits, watch.ElapsedMilliseconds);
            var now = clock.GetUtcNow();
            return [.. writes.Select(w => new FlushStatus
            {
                Layer = LakeLayers.Gold,
                Table = w.Table,
                LastSuccessAt = now,
                LastDuration = watch.Elapsed,
                RowsLastFlush = w.Rows,
                TableVersion = w.Version,
            })];
        }
        catch
        {
            // The in-memory census, calendar and ward history may now differ from the tables: reload them next time.
            _writer = null;
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gold flush: {Patients} changed patients, {Commits} tables committed in {ElapsedMs} ms")]
    private static partial void LogFlushed(ILogger logger, int patients, int commits, long elapsedMs);
}
