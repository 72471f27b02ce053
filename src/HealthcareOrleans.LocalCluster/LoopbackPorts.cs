using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HealthcareOrleans.LocalCluster;

/// <summary>TCP ports on 127.0.0.1: free ones for processes to listen on, and waiting until one accepts.</summary>
public static class LoopbackPorts
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A free TCP port on 127.0.0.1, never the same one twice in this process.</summary>
    public static int Free()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Polls until <paramref name="port"/> accepts a connection; false when it did not within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitUntilAcceptsAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        while (!await AcceptsAsync(port, cancellationToken))
        {
            if (watch.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }

        return true;
    }
}
