using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

/// <summary>
/// Azurite's Table endpoint for the checkpoint tests: HC_TEST_AZURITE_CONNECTION when it names a TableEndpoint (as
/// tests/run.sh exports it), otherwise an Azurite this fixture starts from tests/tools/node_modules on free loopback
/// ports. When neither works the tests fail with the reason; they are never skipped.
/// </summary>
public sealed class AzuriteTables : IAsyncLifetime
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;
    private string? _location;
    private string? _error;
    private string _connectionString = string.Empty;

    public string ConnectionString
    {
        get
        {
            if (_error is not null)
            {
                Assert.Fail(_error);
            }

            return _connectionString;
        }
    }

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("HC_TEST_AZURITE_CONNECTION");
        if (fromEnvironment is not null && fromEnvironment.Contains("TableEndpoint=", StringComparison.OrdinalIgnoreCase))
        {
            _connectionString = fromEnvironment;
            return;
        }

        var executable = Path.Combine(RepositoryRoot(), "tests", "tools", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            _error = $"Azurite is not installed at {executable}. Run `cd tests/tools && npm ci`, or set HC_TEST_AZURITE_CONNECTION with a TableEndpoint.";
            return;
        }

        var tablePort = FreePort();
        _location = Directory.CreateTempSubdirectory("hc-azurite-tables-").FullName;
        ProcessStartInfo start = new(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", Port(FreePort()),
            "--queueHost", "127.0.0.1", "--queuePort", Port(FreePort()),
            "--tableHost", "127.0.0.1", "--tablePort", Port(tablePort),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _connectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};TableEndpoint=http://127.0.0.1:{tablePort}/{Account};";

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _error = $"Azurite exited with code {_process.ExitCode} right after start.";
                return;
            }

            try
            {
                using TcpClient probe = new();
                await probe.ConnectAsync(IPAddress.Loopback, tablePort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        _error = "Azurite did not open its table port within 30 s.";
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        if (_location is not null)
        {
            try
            {
                Directory.Delete(_location, recursive: true);
            }
            catch (IOException)
            {
                // Azurite may hold a file for a moment after being killed; the temp folder is disposable.
            }
        }

        return Task.CompletedTask;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HealthcareOrleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("HealthcareOrleans.sln not found above the test binaries.");
    }
}

[CollectionDefinition(Name)]
public sealed class EventHubsClusterCollection : ICollectionFixture<AzuriteTables>
{
    public const string Name = "Event Hubs provider on Azurite tables";
}
