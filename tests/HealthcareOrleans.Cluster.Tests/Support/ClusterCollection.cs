namespace HealthcareOrleans.Cluster.Tests.Support;

/// <summary>One multi-process cluster at a time: two would fight over the machine's two cores and skew recovery times.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "local silo cluster";
}
