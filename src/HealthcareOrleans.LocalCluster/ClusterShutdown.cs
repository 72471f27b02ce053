namespace HealthcareOrleans.LocalCluster;

/// <summary>How a local cluster stops: as Kubernetes stops pods, SIGTERM first, SIGKILL for what does not stop in time.</summary>
public static class ClusterShutdown
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Stops the silos newest first, each gracefully (it flushes Bronze and hands its partitions to those still
    /// running), then the processes they depend on (Redis). <paramref name="report"/> hears each step, <paramref name="warn"/> each kill.
    /// </summary>
    public static async Task StopAsync(IEnumerable<ChildProcess> silos, IEnumerable<ChildProcess> dependencies, Action<string> report, Action<string> warn)
    {
        foreach (var process in Enumerable.Reverse(silos.ToList()).Concat(dependencies))
        {
            if (process.HasExited)
            {
                continue;
            }

            report($"stopping {process.Name} …");
            if (!await process.StopAsync(GracePeriod))
            {
                warn($"{process.Name} did not stop within {GracePeriod.TotalSeconds:0} s; killed it");
            }
        }
    }
}
