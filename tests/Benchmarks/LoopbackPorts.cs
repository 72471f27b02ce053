using System.Net;
using System.Net.Sockets;

namespace HealthcareOrleans.Benchmarks;

/// <summary>Free TCP ports on 127.0.0.1, so that benchmark silos never collide with a silo someone else is running.</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
