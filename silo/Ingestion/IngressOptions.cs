namespace HealthcareOrleans.Silo.Ingestion;

/// <summary>Settings of the silo's own producer for hospital feeds (configuration section <c>Ingress</c>).</summary>
public sealed class IngressOptions
{
    public const string Section = "Ingress";

    /// <summary>How long a message may wait for the broker's confirmation before its sender is told to send it again.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
