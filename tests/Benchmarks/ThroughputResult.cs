namespace HealthcareOrleans.Benchmarks;

/// <param name="SustainedEventsPerSecond">Slope of events_applied between the silo reports at about 10 % and 90 % of the backlog.</param>
/// <param name="Drain">From the silo answering ready to the first status showing every event applied and lag 0.</param>
/// <param name="SiloCpuCores">Silo CPU time over <see cref="Drain"/> divided by it (2.0 = both cores).</param>
/// <param name="HarnessCpuCores">The same for the benchmark process, which hosts the broker the silo reads from and produces into it.</param>
/// <param name="Gc">The silo's allocations and GC pauses over <see cref="Drain"/>; null when it does not export them.</param>
internal sealed record ThroughputResult(
    double SustainedEventsPerSecond, TimeSpan Drain, double SiloCpuCores, double HarnessCpuCores, long SiloPeakResidentBytes,
    long EventsApplied, long MessagesRejected, long MessagesSkipped, bool Completed, DrainGc? Gc = null)
{
    /// <summary>A figure counts only if every event was applied and the broker deleted nothing before it was read.</summary>
    public bool Valid => Completed && MessagesSkipped == 0;

    public double EventsPerSiloCpuSecond => EventsApplied / (SiloCpuCores * Drain.TotalSeconds);

    public void AddFigures(FigureTable table)
    {
        table.Add("pipeline, max sustained (events/s)", SustainedEventsPerSecond);
        table.Add("backlog drained, silo ready → all applied, lag 0 (s)", Drain.TotalSeconds, "N1");
        table.Add("silo CPU while draining (cores of 2)", SiloCpuCores, "N2");
        table.Add("events per silo CPU-second (baseline: its events/s)", EventsPerSiloCpuSecond);
        table.Add("benchmark process (broker, producer) CPU while draining (cores)", HarnessCpuCores, "N2");
        table.Add("silo peak RSS (MiB)", SiloPeakResidentBytes / 1048576.0, "N0");
        if (Gc is { } gc)
        {
            table.Add("silo bytes allocated per event applied (all threads, whole drain)", gc.AllocatedBytesPerEvent, "N0");
            table.Add("silo GC pause share of the drain (%)", gc.PauseShare * 100, "N1");
        }
    }

    public override string ToString() =>
        $"{SustainedEventsPerSecond:N0} events/s sustained, drained in {Drain.TotalSeconds:N1} s, silo CPU {SiloCpuCores:N2} cores, harness CPU {HarnessCpuCores:N2} cores, " +
        $"peak RSS {SiloPeakResidentBytes / 1048576.0:N0} MiB" +
        (Gc is { } gc ? $", {gc.AllocatedBytesPerEvent:N0} B allocated per event, GC pauses {gc.PauseShare * 100:N1} % of the drain" : string.Empty) +
        $", applied {EventsApplied:N0}, rejected {MessagesRejected:N0}, skipped {MessagesSkipped:N0}" +
        (Completed ? string.Empty : " — NOT COMPLETED (timeout, skipped or rejected messages)");
}

/// <param name="AllocatedBytesPerEvent">Silo bytes allocated over the drain divided by the events applied in it.</param>
/// <param name="PauseShare">Time the silo spent in GC pauses over the drain, as a fraction of the drain.</param>
internal sealed record DrainGc(double AllocatedBytesPerEvent, double PauseShare);
