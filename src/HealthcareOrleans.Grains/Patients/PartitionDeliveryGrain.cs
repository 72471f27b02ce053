using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Telemetry;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// The consumer of one broker partition's stream (<see cref="PatientFlowStreams.PartitionNamespace"/>): each delivery
/// is one read of the partition. It groups the read by patient and makes one call per patient with that patient's
/// records in offset order, then one call per ward with the ward updates of every patient in the read, whose receipt
/// it hands back to those patients. The delivery completes when every call returned, and the next read of the
/// partition is delivered only then, so each patient sees its records in partition order across reads; the
/// partition's checkpoint moves past a read only after that.
/// <para>
/// Placed on the silo whose pulling agent delivers to it; the fan-out runs on the thread pool, not on this activation's
/// scheduler, so the patient calls of a read are issued and their answers taken in parallel.
/// </para>
/// </summary>
[ImplicitStreamSubscription(PatientFlowStreams.PartitionNamespace)]
[PreferLocalPlacement]
public sealed partial class PartitionDeliveryGrain(
    IGrainFactory grains,
    PatientFlowDecoder decoder,
    PipelineCounters counters,
    TimeProvider clock,
    ILogger<PartitionDeliveryGrain> logger)
    : Grain, IGrainWithStringKey, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecordBatch>
{
    // Reused from read to read (deliveries do not interleave): grouping allocates per patient and per ward, not per record.
    private readonly Dictionary<string, List<BrokerRecord>> _byPatient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WardBatch> _byWard = new(StringComparer.Ordinal);
    private readonly Stack<List<BrokerRecord>> _spareRecordLists = new();
    private readonly Stack<WardBatch> _spareWardBatches = new();

    // A read whose delivery failed comes again (the agent retries it): its patients that had already applied it are
    // not called again, so a retry costs only what failed.
    private (long First, long Last, HashSet<string> Applied)? _retrying;

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BrokerRecordBatch>().ResumeAsync(this);

    public async Task OnNextAsync(BrokerRecordBatch item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Count == 0)
        {
            return;
        }

        using var activity = PipelineActivities.StartPartitionDelivery(item);
        counters.DeliveryBegun(item, clock.GetUtcNow().UtcDateTime);
        var records = item.Records;
        var first = records[0].Offset;
        var last = records[^1].Offset;
        var alreadyApplied = _retrying is { } retry && retry.First == first && retry.Last == last ? retry.Applied : null;
        _retrying = null;
        GroupByPatient(records, alreadyApplied);
        try
        {
            var failed = await Task.Run(() => DeliverAsync(alreadyApplied));
            counters.WardsApplied(item, clock.GetUtcNow().UtcDateTime);
            if (failed is not null)
            {
                _retrying = (first, last, failed.Value.Applied);
                var error = failed.Value.Error.GetType().Name;
                LogPatientsFailed(logger, records[0].Partition, first, last, failed.Value.Count, error);
                throw failed.Value.Error;
            }
        }
        finally
        {
            Recycle();
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex);
        return Task.CompletedTask;
    }

    private void GroupByPatient(BrokerRecord[] records, HashSet<string>? alreadyApplied)
    {
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i];
            var patientId = record.Key;
            if (string.IsNullOrEmpty(patientId))
            {
                // A message produced without a key (a plain kcat, a legacy producer): its payload names the patient.
                var decoded = decoder.Decode(record);
                if (!decoded.IsAccepted)
                {
                    if (alreadyApplied is null)
                    {
                        counters.Rejected(decoded.RejectionReason!);
                        LogRejected(logger, decoded.RejectionReason!, record.Partition, record.Offset);
                    }

                    continue;
                }

                patientId = PatientRoute.PatientIdOf(decoded);
            }

            if (alreadyApplied is not null && alreadyApplied.Contains(patientId))
            {
                continue;
            }

            if (!_byPatient.TryGetValue(patientId, out var list))
            {
                list = _spareRecordLists.Count > 0 ? _spareRecordLists.Pop() : [];
                _byPatient.Add(patientId, list);
            }

            list.Add(record);
        }
    }

    /// <summary>
    /// Off the activation's scheduler: only this method touches the grouping until it returns, and it calls through
    /// the silo's grain factory, not the activation's (which only its own scheduler may use).
    /// </summary>
    private async Task<(HashSet<string> Applied, int Count, Exception Error)?> DeliverAsync(HashSet<string>? alreadyApplied)
    {
        var patients = new string[_byPatient.Count];
        var calls = new Task<WardDeltas>[patients.Length];
        var n = 0;
        foreach (var (patientId, list) in _byPatient)
        {
            patients[n] = patientId;
            calls[n] = grains.GetGrain<IPatientGrain>(patientId).ApplyBatchAsync(new BrokerRecordBatch([.. list]));
            n++;
        }

        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Looked at per call below: the updates of the patients that applied their records are still delivered.
        }

        HashSet<string>? applied = null;
        Exception? firstError = null;
        var failures = 0;
        for (var i = 0; i < calls.Length; i++)
        {
            if (calls[i].IsCompletedSuccessfully)
            {
                AddWardUpdates(calls[i].Result);
                continue;
            }

            failures++;
            firstError ??= calls[i].Exception?.InnerException ?? new TaskCanceledException(calls[i]);
            if (applied is null)
            {
                applied = alreadyApplied is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(alreadyApplied, StringComparer.Ordinal);
                for (var j = 0; j < calls.Length; j++)
                {
                    if (calls[j].IsCompletedSuccessfully)
                    {
                        applied.Add(patients[j]);
                    }
                }
            }
        }

        await DeliverWardUpdatesAsync();
        return firstError is null ? null : (applied!, failures, firstError);
    }

    private void AddWardUpdates(WardDeltas deltas)
    {
        for (var i = 0; i < deltas.Count; i++)
        {
            var wardId = deltas.WardIds[i];
            if (!_byWard.TryGetValue(wardId, out var batch))
            {
                batch = _spareWardBatches.Count > 0 ? _spareWardBatches.Pop() : new WardBatch();
                _byWard.Add(wardId, batch);
            }

            batch.Updates.Add(deltas.Updates[i]);
            if (batch.Plans.Count == 0 || !ReferenceEquals(batch.Plans[^1], deltas))
            {
                batch.Plans.Add(deltas);
            }
        }
    }

    private async Task DeliverWardUpdatesAsync()
    {
        if (_byWard.Count == 0)
        {
            return;
        }

        var wardIds = new string[_byWard.Count];
        var batches = new WardBatch[wardIds.Length];
        var calls = new Task<WardReceipt>[wardIds.Length];
        var n = 0;
        foreach (var (wardId, batch) in _byWard)
        {
            wardIds[n] = wardId;
            batches[n] = batch;
            calls[n++] = grains.GetGrain<IWardGrain>(wardId).ApplyBatchAsync(new WardUpdateBatch([.. batch.Updates]));
        }

        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A ward that missed its updates gives no receipt, so each of their patients re-sends its own when it
            // confirms them before saving: the ward only shows them later, and the read is not failed (and re-applied).
            var error = ex.GetType().Name;
            LogWardUpdatesDeferred(logger, error);
        }

        // The receipts go onto the very plans the patients keep (shared, not copied, within the silo): a patient whose
        // wards' receipts read as stored by the time it saves does not call them again.
        for (var i = 0; i < calls.Length; i++)
        {
            if (calls[i].IsCompletedSuccessfully)
            {
                var receipt = calls[i].Result;
                foreach (var plan in batches[i].Plans)
                {
                    plan.Acknowledge(wardIds[i], receipt);
                }
            }
        }
    }

    private void Recycle()
    {
        foreach (var list in _byPatient.Values)
        {
            list.Clear();
            _spareRecordLists.Push(list);
        }

        foreach (var batch in _byWard.Values)
        {
            batch.Updates.Clear();
            batch.Plans.Clear();
            _spareWardBatches.Push(batch);
        }

        _byPatient.Clear();
        _byWard.Clear();
    }

    /// <summary>One ward's updates of a read, and the patients' plans they came from (for the ward's receipt).</summary>
    private sealed class WardBatch
    {
        public List<WardUpdate> Updates { get; } = [];

        public List<WardDeltas> Plans { get; } = [];
    }

    // Patient identifiers are PHI: log positions and reasons, never ids.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Unkeyed message at partition {Partition} offset {Offset} quarantined: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} offsets {First} to {Last}: {Count} patients could not apply their records ({Error}); the read is delivered again to them")]
    private static partial void LogPatientsFailed(ILogger logger, int partition, long first, long last, int count, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ward updates of a read failed ({Error}); each patient re-sends its own when it confirms them before saving")]
    private static partial void LogWardUpdatesDeferred(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The patient-flow partition stream reported an error")]
    private static partial void LogStreamError(ILogger logger, Exception ex);
}
