using HealthcareOrleans.Contracts.Lake;

namespace HealthcareOrleans.Medallion.Flush;

/// <summary>
/// One lake layer's write step: read what is new upstream, commit it, say how each table is doing.
/// </summary>
/// <remarks>
/// Register an implementation with <c>services.AddLakeLayerFlusher&lt;TFlusher&gt;(layer, options =&gt; options.GoldFlushInterval)</c>.
/// The layer's <c>LakeFlushGrain</c> (key = layer, one activation in the cluster) is then the tables' single committer:
/// it creates one flusher per activation (so the flusher may keep in-memory indexes between calls), calls
/// <see cref="FlushAsync"/> on a grain timer at that interval and whenever <c>ILakeFlushGrain.FlushNowAsync</c> is called,
/// never two calls at once, retries failures with exponential backoff (<c>LakeOptions.FirstRetryDelay</c> doubling up to
/// <c>MaxRetryDelay</c>) and reports the returned statuses — plus LastError / ConsecutiveFailures / NextAttemptAt on failure — to
/// <c>ILakeStatusGrain</c>. A flusher therefore only does the work: it must be idempotent (record what it has consumed in a Delta
/// <c>txn</c> of its own tables, since the activation can move to another silo at any time) and throw on failure.
/// </remarks>
public interface ILakeLayerFlusher
{
    /// <summary>The layer this flusher writes (<c>LakeLayers.Silver</c>, <c>LakeLayers.Gold</c>…): also its grain key.</summary>
    string Layer { get; }

    /// <summary>Writes what is pending and returns one status per table written (Writer, LastSuccessAt and failures are filled in by the scheduler when left empty).</summary>
    Task<IReadOnlyList<FlushStatus>> FlushAsync(CancellationToken cancellationToken);
}
