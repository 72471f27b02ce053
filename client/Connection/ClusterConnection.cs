using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace HealthcareOrleans.Client.Connection;

/// <summary>An Orleans client connected to a silo gateway, or a clear reason why none answered.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    public const string DefaultGateway = "127.0.0.1:30000";

    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterConnection> ConnectAsync(string gateway, string clusterId, string serviceId, CancellationToken cancellationToken)
    {
        var endpoint = ParseGateway(gateway);
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Critical))
            .UseOrleansClient(client => client
                .UseStaticClustering(endpoint)
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                })
                .UseConnectionRetryFilter((_, _) => Task.FromResult(false)))
            .Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterUnavailableException(
                $"No silo answered at {gateway}. Start one with `dotnet run --project silo`, or point --gateway (or HC_GATEWAY) at a running silo.", ex);
        }

        return new ClusterConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static IPEndPoint ParseGateway(string gateway)
    {
        if (IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        var colon = gateway.LastIndexOf(':');
        if (colon > 0 && int.TryParse(gateway.AsSpan(colon + 1), out var port))
        {
            var addresses = Dns.GetHostAddresses(gateway[..colon]);
            if (addresses.Length > 0)
            {
                return new IPEndPoint(addresses[0], port);
            }
        }

        throw new ClusterUnavailableException($"'{gateway}' is not a gateway address; write it as host:port, e.g. {DefaultGateway}.");
    }
}

public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
