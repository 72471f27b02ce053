namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// A workload larger than the mock broker keeps (see <see cref="BrokerBacklog"/>), produced while the silo drains it:
/// two chunks before the silo starts, then one more whenever the silo's status shows less than a chunk left to read.
/// At most two chunks are ever unread in the broker, so with the default chunk the broker never holds more unread
/// messages than the whole backlog of an <c>e2e</c> run. Chunks are produced on the thread pool of this process, so
/// their CPU is the harness CPU the drain reports, and the status polling goes on meanwhile.
/// </summary>
internal sealed class ChunkedBacklog(BrokerBacklog backlog, IReadOnlyList<WorkloadMessage> messages, int chunk) : IAsyncDisposable
{
    private Task _producing = Task.CompletedTask;
    private int _produced;

    /// <summary>Produces the first two chunks (the whole workload if smaller) and returns once the broker took them.</summary>
    public void ProduceFirstChunks()
    {
        _produced = Math.Min(messages.Count, 2 * chunk);
        backlog.Produce(messages, 0, _produced);
    }

    /// <summary>Starts the next chunk when the silo is down to its last one; called with every status the drain reads.</summary>
    public void OnStatus(EngineStatusSample status)
    {
        if (!_producing.IsCompleted)
        {
            return;
        }

        // A chunk the broker refused must fail the run, not leave it waiting for events that never come.
        _producing.GetAwaiter().GetResult();

        // The lag is only as fresh as the receivers' last look at the high watermark. What this process produced and
        // the engine has not yet applied or rejected is never less than what is unread, so the larger of the two is safe.
        var unread = Math.Max(status.Lag, _produced - status.EventsApplied - status.MessagesRejected);
        if (_produced == messages.Count || unread >= chunk)
        {
            return;
        }

        var (from, count) = (_produced, Math.Min(chunk, messages.Count - _produced));
        _produced += count;
        _producing = Task.Run(() => backlog.Produce(messages, from, count));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _producing;
        }
        finally
        {
            backlog.Dispose();
        }
    }
}
