namespace HealthcareOrleans.Benchmarks;

/// <param name="Throughput">The drain of the level's whole workload.</param>
/// <param name="Activations">Resident activations right after the drain; null when the silo does not export them.</param>
/// <param name="Latency">The paced phase on the silo that then held the level's patients; null when the drain was invalid.</param>
internal sealed record ScalingRunResult(ThroughputResult Throughput, ResidentActivations? Activations, LatencyPhase? Latency);
