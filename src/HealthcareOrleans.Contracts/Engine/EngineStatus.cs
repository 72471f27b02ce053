using Orleans.Concurrency;

namespace HealthcareOrleans.Contracts.Engine;

/// <summary>Where one partition's receiver stands.</summary>
[GenerateSerializer, Immutable, Alias("hc.partition-progress")]
public sealed record PartitionProgress(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long NextOffset,
    [property: Id(3)] long HighWatermark,
    [property: Id(4)] long MessagesReceived,
    [property: Id(5)] long? CheckpointedOffset,
    [property: Id(6)] long MessagesSkipped = 0,
    [property: Id(7)] long? StartedAt = null)
{
    public long Lag => Math.Max(0, HighWatermark - NextOffset);
}

/// <summary>What one silo reports every few seconds.</summary>
[GenerateSerializer, Immutable, Alias("hc.silo-pipeline-report")]
public sealed record SiloPipelineReport
{
    [Id(0)] public required string Silo { get; init; }
    [Id(1)] public DateTimeOffset ReportedAt { get; init; }
    [Id(2)] public string? BrokerAddress { get; init; }
    [Id(3)] public IReadOnlyList<PartitionProgress> Partitions { get; init; } = [];
    [Id(4)] public long EventsApplied { get; init; }
    [Id(5)] public long EventsDuplicate { get; init; }
    [Id(6)] public long MessagesRejected { get; init; }
    [Id(7)] public IReadOnlyDictionary<string, long> RejectionsByReason { get; init; } = new Dictionary<string, long>();
    [Id(8)] public double EventsPerSecond { get; init; }
    [Id(9)] public BrokerDurability? Durability { get; init; }
}

/// <summary>The engine as a whole: every live silo's latest report.</summary>
[GenerateSerializer, Immutable, Alias("hc.engine-status")]
public sealed record EngineStatus([property: Id(0)] IReadOnlyList<SiloPipelineReport> Silos)
{
    public long EventsApplied => Silos.Sum(s => s.EventsApplied);
    public long MessagesRejected => Silos.Sum(s => s.MessagesRejected);
    public double EventsPerSecond => Silos.Sum(s => s.EventsPerSecond);
    public long Lag => Silos.SelectMany(s => s.Partitions).Sum(p => p.Lag);

    /// <summary>Messages the broker deleted before a receiver read them: lost to the engine, and said so.</summary>
    public long MessagesSkipped => Silos.SelectMany(s => s.Partitions).Sum(p => p.MessagesSkipped);

    /// <summary>What the broker's acknowledgements are worth; every silo of a cluster runs the same profile.</summary>
    public BrokerDurability? Durability => Silos.Select(s => s.Durability).FirstOrDefault(d => d is not null);
}

/// <summary>A single activation (key 0) collecting the silos' reports for <c>hc status</c> and the API.</summary>
public interface IEngineStatusGrain : IGrainWithIntegerKey
{
    Task ReportAsync(SiloPipelineReport report);

    [AlwaysInterleave]
    Task<EngineStatus> GetAsync();
}
