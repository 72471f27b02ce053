using System.Diagnostics;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Flush;
using HealthcareOrleans.Medallion.Lake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>
/// Bronze → Silver, incrementally and deterministically: reads the Bronze commits after the last one processed (the
/// version in both Silver tables' <c>txn(silver&lt;-bronze)</c>), in version order and, within a commit, in file and row
/// order; transforms each record with the grains' own intake on a replica of its patient's state (so dedupe by
/// event_id, ordering and every refusal are decided exactly as the grain decides them); and commits the refusals to
/// quarantine, then the events, each carrying the Bronze version. After a restart the replicas are first brought up
/// to what Silver already holds by replaying those Bronze commits without writing. A crash between the two commits redoes
/// exactly the same Bronze range, and the table that already has it skips the write. Same Bronze, same Silver.
/// Runs in the Silver layer's flush grain (the tables' single committer); also runs the lake housekeeping.
/// </summary>
public sealed partial class SilverLakeFlusher(
    ILakeStorage storage,
    SilverRecordTransformer transformer,
    LakeHousekeeping housekeeping,
    IOptions<LakeOptions> options,
    TimeProvider clock,
    ILogger<SilverLakeFlusher> logger) : ILakeLayerFlusher
{
    /// <summary>One flush keeps catching up for at most this long, so that a grain call asking for it returns in time.</summary>
    private static readonly TimeSpan CatchUpBudget = TimeSpan.FromSeconds(20);

    private readonly LakeOptions _options = options.Value;
    private DeltaTable? _bronze;
    private DeltaTable? _events;
    private DeltaTable? _quarantine;
    private bool _extensionCapLogged;
    private bool _replicasCurrent;

    public string Layer => LakeLayers.Silver;

    public async Task<IReadOnlyList<FlushStatus>> FlushAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        long events = 0, rejected = 0;
        try
        {
            if (!_replicasCurrent)
            {
                await ReplayProcessedAsync(cancellationToken).ConfigureAwait(false);
                _replicasCurrent = true;
            }

            while (true)
            {
                var (from, to) = NextRange();
                if (from > to)
                {
                    break;
                }

                var (e, r) = await ProcessAsync(from, to, cancellationToken).ConfigureAwait(false);
                events += e;
                rejected += r;
                if (Stopwatch.GetElapsedTime(started) > CatchUpBudget)
                {
                    break;
                }
            }
        }
        catch
        {
            // The tables are the truth after a failure: re-read them, and rebuild the replicas from what they hold.
            transformer.Reset();
            _replicasCurrent = false;
            _bronze = _events = _quarantine = null;
            throw;
        }

        transformer.ReleaseDerived();

        await housekeeping.RunIfDueAsync([_bronze!, _events!, _quarantine!], cancellationToken).ConfigureAwait(false);
        return Statuses(events, rejected);
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        _bronze ??= await DeltaTable.OpenOrCreateAsync(storage, BronzeTable.Path, BronzeTable.Definition, cancellationToken: cancellationToken).ConfigureAwait(false);
        _events ??= await DeltaTable.OpenOrCreateAsync(storage, SilverEventsTable.Path, SilverEventsTable.Definition, cancellationToken: cancellationToken).ConfigureAwait(false);
        _quarantine ??= await DeltaTable.OpenOrCreateAsync(storage, QuarantineTable.Path, QuarantineTable.Definition, cancellationToken: cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_bronze.RefreshAsync(cancellationToken), _events.RefreshAsync(cancellationToken), _quarantine.RefreshAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The Bronze commits both Silver tables already hold, replayed into the replicas without writing.</summary>
    private async Task ReplayProcessedAsync(CancellationToken cancellationToken)
    {
        var processed = Math.Min(_events!.GetTransactionVersion(SilverEventsTable.ApplicationId) ?? 0, _quarantine!.GetTransactionVersion(SilverEventsTable.ApplicationId) ?? 0);
        var origin = _events.GetTransactionVersion(SilverEventsTable.OriginApplicationId) ?? 1;
        if (processed < origin)
        {
            return;
        }

        foreach (var row in await ProcessedBronze.ReadAsync(_bronze!, origin, processed, cancellationToken).ConfigureAwait(false))
        {
            transformer.Replay(row.Record);
        }

        LogReplicasRebuilt(logger, origin, processed, transformer.Patients.Count);
    }

    /// <summary>The Bronze versions to process next. Version 0 only creates the table, so "nothing processed" is 0.</summary>
    private (long From, long To) NextRange()
    {
        var eventsDone = _events!.GetTransactionVersion(SilverEventsTable.ApplicationId) ?? 0;
        var quarantineDone = _quarantine!.GetTransactionVersion(SilverEventsTable.ApplicationId) ?? 0;
        var from = Math.Min(eventsDone, quarantineDone) + 1;
        // A half-done range (one table committed, the other not) is redone exactly, so both tables agree on its rows.
        var to = eventsDone != quarantineDone
            ? Math.Max(eventsDone, quarantineDone)
            : Math.Min(_bronze!.Version, from + _options.SilverMaxBronzeCommitsPerFlush - 1);
        return (from, to);
    }

    private async Task<(long Events, long Rejected)> ProcessAsync(long from, long to, CancellationToken cancellationToken)
    {
        List<SilverEventRow> accepted = [];
        List<QuarantineRow> refused = [];
        foreach (var row in await ProcessedBronze.ReadAsync(_bronze!, from, to, cancellationToken).ConfigureAwait(false))
        {
            transformer.Transform(row.Record, row.Source, row.ReceivedAt, accepted, refused);
        }

        var write = new DeltaWriteOptions { ApplicationId = SilverEventsTable.ApplicationId, ApplicationVersion = to, MergeSchema = true };
        await _quarantine!.AppendAsync(SilverBatches.Quarantine(refused), write, cancellationToken).ConfigureAwait(false);
        var eventsResult = await _events!.AppendAsync(SilverBatches.Events(accepted, AllowedExtensions(accepted)), write, cancellationToken).ConfigureAwait(false);
        LogProcessed(logger, from, to, accepted.Count, refused.Count, eventsResult.Version);
        return (accepted.Count, refused.Count);
    }

    /// <summary>Extension columns the table has, plus new ones up to <see cref="LakeOptions.SilverMaxExtensionColumns"/>.</summary>
    private HashSet<string> AllowedExtensions(List<SilverEventRow> rows)
    {
        var existing = _events!.Schema.Fields.Select(f => f.Name).Where(n => n.StartsWith(SilverEventsTable.ExtensionPrefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var allowed = new HashSet<string>(existing, StringComparer.Ordinal);
        foreach (var name in SilverBatches.ExtensionNames(rows))
        {
            if (allowed.Contains(name))
            {
                continue;
            }

            if (allowed.Count >= _options.SilverMaxExtensionColumns)
            {
                if (!_extensionCapLogged)
                {
                    _extensionCapLogged = true;
                    LogExtensionCap(logger, _options.SilverMaxExtensionColumns);
                }

                continue;
            }

            allowed.Add(name);
        }

        return allowed;
    }

    private List<FlushStatus> Statuses(long events, long rejected)
    {
        var processed = Math.Min(_events!.GetTransactionVersion(SilverEventsTable.ApplicationId) ?? 0, _quarantine!.GetTransactionVersion(SilverEventsTable.ApplicationId) ?? 0);
        var pending = Math.Max(0, _bronze!.Version - processed);
        return
        [
            Status(SilverEventsTable.Path, _events, events, pending),
            Status(QuarantineTable.Path, _quarantine, rejected, pending),
        ];
    }

    private FlushStatus Status(string table, DeltaTable delta, long rows, long pending) => new()
    {
        Layer = LakeLayers.Silver,
        Table = table,
        RowsLastFlush = rows,
        RowsTotal = delta.Snapshot.RowCount ?? 0,
        TableVersion = delta.Version,
        Pending = pending,
        Lag = pending == 0 ? TimeSpan.Zero : clock.GetUtcNow() - _bronze!.Snapshot.Timestamp,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Silver: Bronze versions {From}..{To} gave {Events} new events and {Rejected} refusals (events table version {Version})")]
    private static partial void LogProcessed(ILogger logger, long from, long to, int events, int rejected, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silver: patient replicas rebuilt from Bronze versions {From}..{To} ({Patients} patients)")]
    private static partial void LogReplicasRebuilt(ILogger logger, long from, long to, int patients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silver: the table has reached {Max} extension columns (Lake:SilverMaxExtensionColumns); further unknown fields stay in Bronze only")]
    private static partial void LogExtensionCap(ILogger logger, int max);
}
