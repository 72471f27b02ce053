using Orleans.Configuration;

namespace HealthcareOrleans.Grains.Hosting;

public static class SingleSiloClustering
{
    /// <summary>
    /// One silo on localhost (the embedded profile). Every activation is local, so the default directory owns every
    /// entry in its own partition and its address cache would only hold a second copy of each: at 100,000 resident
    /// patients that copy is a few hundred bytes per grain. A cluster keeps the cache; it is never configured here.
    /// </summary>
    public static ISiloBuilder UseSingleLocalSilo(this ISiloBuilder silo, int siloPort, int gatewayPort, string serviceId, string clusterId)
    {
        silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
        silo.Configure<GrainDirectoryOptions>(o => o.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None);
        return silo;
    }
}
