namespace HealthcareOrleans.Streaming.Kafka.Options;

/// <summary>Where a partition's receiver starts when no checkpoint exists (or the checkpoint is unusable).</summary>
public enum KafkaStartPosition
{
    /// <summary>The oldest retained message: nothing the broker still holds is skipped.</summary>
    Beginning = 0,

    /// <summary>Only messages appended after the receiver starts.</summary>
    End = 1,
}
