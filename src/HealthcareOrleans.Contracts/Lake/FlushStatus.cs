namespace HealthcareOrleans.Contracts.Lake;

/// <summary>How one table's scheduled writes are doing: what <c>hc flush status</c> shows per table.</summary>
[GenerateSerializer, Immutable, Alias("hc.flush-status")]
public sealed record FlushStatus
{
    [Id(0)] public required string Layer { get; init; }
    [Id(1)] public required string Table { get; init; }
    /// <summary>Who writes it: a silo name for Bronze (each silo flushes its own partitions), the flush grain otherwise.</summary>
    [Id(2)] public string? Writer { get; init; }
    [Id(3)] public DateTimeOffset? LastSuccessAt { get; init; }
    [Id(4)] public TimeSpan? LastDuration { get; init; }
    [Id(5)] public long RowsLastFlush { get; init; }
    [Id(6)] public long RowsTotal { get; init; }
    [Id(7)] public long? TableVersion { get; init; }
    /// <summary>What is waiting to be written (rows buffered, or source versions not yet processed).</summary>
    [Id(8)] public long Pending { get; init; }
    /// <summary>Age of the oldest thing waiting: how far the table is behind.</summary>
    [Id(9)] public TimeSpan? Lag { get; init; }
    [Id(10)] public string? LastError { get; init; }
    [Id(11)] public DateTimeOffset? LastErrorAt { get; init; }
    [Id(12)] public int ConsecutiveFailures { get; init; }
    [Id(13)] public DateTimeOffset? NextAttemptAt { get; init; }
}

/// <summary>Every table's flush status, collected from the writers (key 0).</summary>
public interface ILakeStatusGrain : IGrainWithIntegerKey
{
    Task ReportAsync(FlushStatus status);

    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<FlushStatus>> GetAsync();
}

/// <summary>Runs one layer's flush now, wherever its writer lives (key: the layer name).</summary>
public interface ILakeFlushGrain : IGrainWithStringKey
{
    /// <summary>
    /// Waits for the whole flush: Gold's first flush over years of history (hourly census rows per ward) takes
    /// minutes, beyond the 30-second default a caller would otherwise give up after.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    Task<IReadOnlyList<FlushStatus>> FlushNowAsync();
}
