namespace HealthcareOrleans.Silo.Ingestion;

/// <summary>Where a produced message landed, from the broker's delivery report.</summary>
public sealed record BrokerReceipt(string Topic, int Partition, long Offset, DateTimeOffset AppendedAt);

/// <summary>
/// Puts a message from a hospital feed (MLLP, FHIR over HTTP) on the patient-flow topic. The task completes only
/// when the broker's delivery report says the message is in the log, so a caller that acknowledges its sender after
/// awaiting it never acknowledges a message the log does not hold.
/// </summary>
public interface IBrokerIngress
{
    /// <param name="key">The patient id (the topic's routing key), or null for a message that names no patient.</param>
    /// <exception cref="BrokerDeliveryException">The broker refused the message or did not confirm it in time.</exception>
    Task<BrokerReceipt> ProduceAsync(string? key, byte[] payload, CancellationToken cancellationToken);
}

/// <summary>The broker did not take a message: the sender must keep it and send it again.</summary>
public sealed class BrokerDeliveryException : Exception
{
    public BrokerDeliveryException()
    {
    }

    public BrokerDeliveryException(string message) : base(message)
    {
    }

    public BrokerDeliveryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
