namespace HealthcareOrleans.Streaming.Kafka.Checkpointing;

/// <summary>Identifies one checkpoint: the provider name is part of it because two providers may read one topic.</summary>
public readonly record struct PartitionCheckpointKey(string ProviderName, string Topic, int Partition)
{
    public override string ToString() => $"{ProviderName}/{Topic}/{Partition}";
}
