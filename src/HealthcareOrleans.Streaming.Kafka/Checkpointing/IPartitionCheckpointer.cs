namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>Persists one partition's delivered position (<see cref="PartitionCheckpointer"/>).</summary>
internal interface IPartitionCheckpointer : IAsyncDisposable
{
    /// <summary>The last offset written to the store, or -1.</summary>
    long SavedOffset { get; }

    void Start();

    /// <summary>Every message before <paramref name="nextOffset"/> has been processed by all consumers.</summary>
    void Delivered(long nextOffset);

    /// <summary>Stops saving on the timer and waits until the last delivered position has settled.</summary>
    Task SettleAsync(CancellationToken cancellationToken);

    /// <summary>Writes the settled position after <see cref="SettleAsync"/>.</summary>
    Task SaveFinalAsync(CancellationToken cancellationToken);
}
