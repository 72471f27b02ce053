using Orleans.Storage;

namespace HealthcareOrleans.Grains.Tests.Persistence;

[GenerateSerializer, Alias("hc.tests.counter-state")]
public sealed class CounterState
{
    [Id(0)] public int Count { get; set; }
    [Id(1)] public string? Note { get; set; }
    [Id(2)] public List<DateTimeOffset> Seen { get; set; } = [];
}

/// <summary>An <see cref="IGrainState{T}"/> as Orleans hands one to a storage provider.</summary>
internal sealed class TestGrainState<T>(T state) : IGrainState<T>
{
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public T State { get; set; } = state;
    public string? ETag { get; set; }
    public bool RecordExists { get; set; }
}
