using HealthcareOrleans.Medallion.Gold;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime.Services;
using Orleans.Services;

namespace HealthcareOrleans.Grains.Gold;

/// <summary>One per silo: hands that silo's changed patients to the Gold flush, wherever the flush runs.</summary>
public interface IGoldChangeService : IGrainService
{
    Task<GoldChangeTake> TakeAsync();

    Task ConfirmAsync(long receipt);
}

/// <summary>A grain service (a per-silo system target) so the flush can address each silo's tracker by silo address.</summary>
[Reentrant]
public sealed class GoldChangeService(GrainId id, Silo silo, ILoggerFactory loggerFactory, GoldChangeTracker tracker)
    : GrainService(id, silo, loggerFactory), IGoldChangeService
{
    public Task<GoldChangeTake> TakeAsync() => Task.FromResult(tracker.Take());

    public Task ConfirmAsync(long receipt)
    {
        tracker.Confirm(receipt);
        return Task.CompletedTask;
    }
}

public interface IGoldChangeServiceClient : IGrainServiceClient<IGoldChangeService>
{
    IGoldChangeService On(SiloAddress silo);
}

public sealed class GoldChangeServiceClient(IServiceProvider services)
    : GrainServiceClient<IGoldChangeService>(services), IGoldChangeServiceClient
{
    public IGoldChangeService On(SiloAddress silo) => GetGrainService(silo);
}
