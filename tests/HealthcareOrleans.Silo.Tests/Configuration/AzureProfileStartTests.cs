using System.Diagnostics;
using System.Globalization;
using HealthcareOrleans.LocalCluster;

namespace HealthcareOrleans.Silo.Tests.Configuration;

/// <summary>The silo process itself, started with Profile=azure and no storage account: it stops before joining, saying what to set.</summary>
public sealed class AzureProfileStartTests
{
    [Fact]
    public async Task A_silo_started_with_profile_azure_and_no_storage_account_exits_saying_what_to_set()
    {
        var data = Directory.CreateTempSubdirectory("hc-azure-start-");
        try
        {
            var start = new ProcessStartInfo("dotnet", [RepositoryBuild.SiloDll, "--urls", $"http://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}"])
            {
                WorkingDirectory = data.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AzureStorage__", StringComparison.Ordinal) || k.StartsWith("Redis__", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["Profile"] = "azure";
            start.Environment["HC_DATA_DIR"] = Path.Combine(data.FullName, "data");
            start.Environment["HC_API_KEY"] = "azure-start-test-key";
            start.Environment["Security__PseudonymKey"] = "azure-start-test-pseudonym-key-0123456789abcdef";
            start.Environment["Kafka__BootstrapServers"] = "127.0.0.1:9";
            start.Environment["Orleans__SiloPort"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
            start.Environment["Orleans__GatewayPort"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
            start.Environment["Warehouse__Kind"] = "None";

            using var silo = Process.Start(start)!;
            var output = silo.StandardOutput.ReadToEndAsync();
            var errors = silo.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await silo.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                silo.Kill(entireProcessTree: true);
                Assert.Fail($"the silo still runs after 90 s without a storage account:\n{await output}\n{await errors}");
            }

            var all = await output + await errors;
            Assert.NotEqual(0, silo.ExitCode);
            Assert.Contains("Profile=azure keeps membership, grain state and stream checkpoints in Azure Storage, and no account is set.", all, StringComparison.Ordinal);
            Assert.Contains("AzureStorage:ConnectionString", all, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
