namespace HealthcareOrleans.Contracts.Engine;

/// <summary>Where this silo's stream receivers stand; implemented by the stream provider the silo runs.</summary>
public interface IPartitionProgressSource
{
    string? BrokerAddress { get; }

    IReadOnlyList<PartitionProgress> GetPartitions();
}
