using System.Diagnostics;
using HealthcareOrleans.Cluster.Tests.Support;
using HealthcareOrleans.Testing;
using Xunit.Abstractions;
using static HealthcareOrleans.Cluster.Tests.Support.LocalSiloCluster;

namespace HealthcareOrleans.Cluster.Tests;

/// <summary>
/// The kill -9 of <see cref="SiloKillScenario"/> on a Profile=azure cluster of three silo processes: Orleans membership
/// in Azurite's Table service, patient and ward state in its Blob service, the Kafka provider's checkpoints and
/// partition leases in its Table service — no Redis.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AzuriteSiloKillTests(ITestOutputHelper output)
{
    // A fifth of the Redis run's volume and rate: every patient and ward write is a blob upload to Azurite, a Node
    // process on the same two cores as the three silos, and this cluster sustained ~450 events/s there (measured).
    // The producing time (50 s) and so the kill's place in the stream stay those of the Redis run.
    private static readonly int EventCount = Setting("HC_AZURITE_CLUSTER_TEST_EVENTS", 20_000);
    private static readonly int EventsPerSecond = Setting("HC_AZURITE_CLUSTER_TEST_RATE", 400);

    [AzuriteFact]
    public async Task A_silo_killed_mid_stream_on_Azurite_membership_and_grain_state_loses_and_duplicates_nothing_and_the_cluster_recovers()
    {
        var total = Stopwatch.StartNew();
        await using var cluster = await LocalSiloCluster.StartAsync(siloCount: 3, output.WriteLine, AzuriteFactAttribute.ConnectionString);
        var (killed, records) = await SiloKillScenario.RunAsync(cluster, EventCount, EventsPerSecond, total);
        await cluster.AssertAzureStorageHeldTheClusterAsync(killed, records);
    }
}
