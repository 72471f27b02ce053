namespace HealthcareOrleans.Simulation.Kafka;

/// <summary>The broker did not take a message (or did not acknowledge it in time): the run stops rather than silently lose events.</summary>
public sealed class KafkaDeliveryException : Exception
{
    public KafkaDeliveryException()
    {
    }

    public KafkaDeliveryException(string message) : base(message)
    {
    }

    public KafkaDeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Messages the broker had acknowledged before the failure.</summary>
    public long Delivered { get; init; }
}
