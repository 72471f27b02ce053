using System.Diagnostics;
using HealthcareOrleans.Cluster.Tests.Support;
using Xunit.Abstractions;
using static HealthcareOrleans.Cluster.Tests.Support.LocalSiloCluster;

namespace HealthcareOrleans.Cluster.Tests;

/// <summary>
/// Issue 8, guarantee 1 on a real cluster (see <see cref="LocalSiloCluster"/>) with Redis membership, grain state and
/// checkpoints: <see cref="SiloKillScenario"/>, a kill -9 half-way through a steady stream.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    // Overridable for a longer local run; the defaults keep the test near two minutes on two cores.
    private static readonly int EventCount = Setting("HC_CLUSTER_TEST_EVENTS", 100_000);
    private static readonly int EventsPerSecond = Setting("HC_CLUSTER_TEST_RATE", 2_000);

    [Fact]
    public async Task A_silo_killed_mid_stream_loses_and_duplicates_nothing_and_the_cluster_recovers()
    {
        var total = Stopwatch.StartNew();
        await using var cluster = await LocalSiloCluster.StartAsync(siloCount: 3, output.WriteLine);
        await SiloKillScenario.RunAsync(cluster, EventCount, EventsPerSecond, total);
    }
}
