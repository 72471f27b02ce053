using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.DuckDb;
using HealthcareOrleans.Warehouse.Hosting;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static HealthcareOrleans.Warehouse.Tests.Infrastructure.GoldRows;
using static HealthcareOrleans.Warehouse.Tests.Infrastructure.WarehouseQueries;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>The hosted service loads each new Gold version without being asked.</summary>
public sealed class WarehouseSyncServiceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task A_new_Gold_version_reaches_the_warehouse_without_a_call()
    {
        var lake = new LocalLakeStorage(Path.Combine(_temp.Path, "lake"));
        var gold = new GoldLake(lake);
        await HandCheckedScenario.WriteAsync(gold);
        var path = Path.Combine(_temp.Path, "warehouse.duckdb");
        using var host = Host(lake, path);
        await host.StartAsync();
        var service = host.Services.GetRequiredService<WarehouseSyncService>();
        await WaitUntil(() => service.LastResult is { } r && r.Tables.Count == 6);

        var passes = service.CompletedPasses;
        await gold.AppendAsync("fact_encounter", [Encounter("P3", HandCheckedScenario.P3Since, "E9", "emergency", 5, At("2026-03-15T08:00:00Z"), null, null, "waiting", "ED", "ED", 0)]);
        // Two more completed passes: at least one of them began after the append.
        await WaitUntil(() => service.CompletedPasses >= passes + 2);
        await host.StopAsync();

        Assert.Equal(4, await RowsAsync(path, "fact_encounter"));
    }

    [Fact]
    public void Invalid_options_fail_at_start_with_what_to_set()
    {
        var lake = new LocalLakeStorage(Path.Combine(_temp.Path, "lake"));
        using var host = Host(lake, Path.Combine(_temp.Path, "w.duckdb"), new() { ["Warehouse:Kind"] = "Synapse", ["Warehouse:PollInterval"] = "00:00:00.01" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WarehouseOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Warehouse:PollInterval", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Warehouse:Synapse:ConnectionString is empty", StringComparison.Ordinal));
    }

    private static IHost Host(ILakeStorage lake, string path, Dictionary<string, string?>? settings = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings ?? new() { ["Warehouse:PollInterval"] = "00:00:00.2", ["Warehouse:DuckDbPath"] = path });
        builder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        builder.Services.AddHealthcareWarehouse(builder.Configuration, _ => lake);
        return builder.Build();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the warehouse sync did not get there in time");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _temp.Dispose();
}
