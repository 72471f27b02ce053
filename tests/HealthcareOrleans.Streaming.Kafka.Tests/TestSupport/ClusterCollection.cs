namespace HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

/// <summary>Cluster tests share the static delivery sink and two cores: they run one after another.</summary>
[CollectionDefinition("cluster", DisableParallelization = true)]
public sealed class ClusterCollection
{
}
