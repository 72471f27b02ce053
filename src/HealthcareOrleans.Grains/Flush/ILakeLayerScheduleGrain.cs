namespace HealthcareOrleans.Grains.Flush;

/// <summary>
/// Keeps a layer's flush grain (same grain as <c>ILakeFlushGrain</c>, key = layer) activated: its timer only runs while
/// it is active, and its silo may have left. Every silo pokes it regularly; a one-way call, so nobody waits on it.
/// </summary>
public interface ILakeLayerScheduleGrain : IGrainWithStringKey
{
    [Orleans.Concurrency.OneWay]
    Task EnsureScheduledAsync();
}
