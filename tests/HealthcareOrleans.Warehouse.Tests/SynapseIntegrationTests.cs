using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Model;
using HealthcareOrleans.Warehouse.Synapse;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>Runs only where a real dedicated SQL pool is reachable: HC_SQL_CONNECTION holds its connection string.</summary>
public sealed class SynapseFactAttribute : FactAttribute
{
    public SynapseFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("HC_SQL_CONNECTION")))
        {
            Skip = "HC_SQL_CONNECTION is not set: this test needs a real Azure Synapse dedicated SQL pool (set HC_SQL_CONNECTION to its connection string, SQL login or Authentication=Active Directory Default).";
        }
    }
}

/// <summary>The Synapse loader against a real pool: schema, bulk-copy load, idempotent second load.</summary>
public sealed class SynapseIntegrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [SynapseFact]
    public async Task Bulk_copy_load_is_complete_and_idempotent_against_a_real_Synapse_when_HC_SQL_CONNECTION_is_set()
    {
        var options = new SynapseOptions
        {
            ConnectionString = Environment.GetEnvironmentVariable("HC_SQL_CONNECTION"),
            Authentication = SynapseAuthentication.ConnectionString,
            LoadPath = SynapseLoadPath.BulkCopy,
        };
        var connections = new SynapseConnectionFactory(options);
        await using (var connection = await connections.OpenAsync(default))
        {
            await SynapseScripts.ApplyAsync(connection, options.CommandTimeout, default);
        }

        var gold = new GoldLake(new LocalLakeStorage(Path.Combine(_temp.Path, "lake")));
        await HandCheckedScenario.WriteAsync(gold);
        var loader = new SynapseWarehouseLoader(options, connections);
        await loader.EnsureSchemaAsync();

        var first = await loader.LoadAsync(gold.Storage);
        var second = await loader.LoadAsync(gold.Storage);

        Assert.All(second.Tables, t => Assert.True(t.Skipped, t.Table));
        await using var check = await connections.OpenAsync(default);
        foreach (var table in WarehouseSchema.All)
        {
            await using var command = check.CreateCommand();
            command.CommandText = $"SELECT COUNT_BIG(*) FROM dw.[{table.Name}];";
            Assert.Equal(await gold.RowCountAsync(table.Name), (long)(await command.ExecuteScalarAsync())!);
            Assert.False(first[table.Name].Skipped, table.Name);
        }
    }

    public void Dispose() => _temp.Dispose();
}
