using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HealthcareOrleans.Benchmarks;

/// <summary>An Orleans client of the silo under test, through its gateway, as <c>hc</c> and any application would connect.</summary>
internal sealed class GatewayClient(IHost host) : IAsyncDisposable
{
    /// <summary>The silo's default cluster and service id (EngineSettings).</summary>
    private const string ClusterId = "healthcare-orleans";

    public IGrainFactory Grains { get; } = host.Services.GetRequiredService<IClusterClient>();

    public static async Task<GatewayClient> ConnectAsync(int gatewayPort)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId: ClusterId, clusterId: ClusterId))
            .Build();
        await host.StartAsync();
        return new GatewayClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
