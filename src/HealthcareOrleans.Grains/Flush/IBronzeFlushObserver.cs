namespace HealthcareOrleans.Grains.Flush;

/// <summary>A silo's Bronze writer, reachable from the cluster so that <c>hc flush run bronze</c> reaches every silo.</summary>
public interface IBronzeFlushObserver : IGrainObserver
{
    Task FlushNowAsync();
}
