namespace HealthcareOrleans.Grains.Flush;

/// <summary>Knows every silo's Bronze writer (key 0). Writers re-register regularly; a silo that left drops out.</summary>
public interface IBronzeFlushCoordinatorGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(SiloAddress silo, string siloName, IBronzeFlushObserver writer);

    /// <summary>Flushes every silo's Bronze buffers now and waits for them.</summary>
    Task FlushAllAsync();
}
