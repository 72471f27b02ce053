using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Lake.Tests.Infrastructure;

/// <summary>
/// Azurite for the Azure Blob storage tests: the connection string in HC_TEST_AZURITE_CONNECTION, or an Azurite this
/// fixture starts from tests/tools/node_modules (run `npm install` there) on free loopback ports. When neither works
/// the tests fail with the reason; they are never skipped silently.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;
    private string? _location;
    private string? _error;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("HC_TEST_AZURITE_CONNECTION");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            ConnectionString = fromEnvironment;
            return;
        }

        var executable = Path.Combine(RepoPaths.RepoRoot, "tests", "tools", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            _error = $"Azurite is not installed at {executable}. Run `cd tests/tools && npm install`, or set HC_TEST_AZURITE_CONNECTION.";
            return;
        }

        var blobPort = FreePort();
        _location = Path.Combine(Path.GetTempPath(), "hc-azurite", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_location);
        ProcessStartInfo start = new(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", _location,
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;";

        // Wait for the port to answer (bounded), instead of sleeping a fixed time.
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
                await probe.ConnectAsync(IPAddress.Loopback, blobPort);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        _error = "Azurite did not open its blob port within 30 s.";
    }

    /// <summary>A storage in a fresh container (one per test, for isolation).</summary>
    public async Task<ILakeStorage> CreateStorageAsync()
    {
        if (_error is not null)
        {
            Assert.Fail(_error);
        }

        BlobServiceClient service = new(ConnectionString);
        var container = service.GetBlobContainerClient("t" + Guid.NewGuid().ToString("N"));
        await container.CreateAsync();
        return new AzureBlobLakeStorage(container);
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
                // Azurite may still hold a file for a moment after being killed; the temp folder is disposable.
            }
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class LakeStorageCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Lake storage";
}
