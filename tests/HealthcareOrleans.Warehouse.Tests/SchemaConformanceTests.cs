using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Warehouse.DuckDb;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Model;
using HealthcareOrleans.Warehouse.Synapse;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>GoldSchemas is the source of truth: the warehouse model, the DuckDB DDL and the Synapse DDL must all match it.</summary>
public sealed class SchemaConformanceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<string> Tables() => [.. WarehouseSchema.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Tables))]
    public void The_warehouse_model_has_the_Gold_columns_types_nullability_key_and_path(string name)
    {
        var table = WarehouseSchema.All.Single(t => t.Name == name);
        var gold = GoldLake.Definitions[name].Schema;

        Assert.Equal(gold.Fields.Select(f => f.Name), table.Columns.Select(c => c.Name));
        Assert.Equal(gold.Fields.Select(f => (GoldSource.TypeOf(f.Type), f.Nullable)), table.Columns.Select(c => ((WarehouseColumnType?)c.Type, c.Nullable)));
        Assert.Equal(GoldLake.Keys[name], table.NaturalKey);
        Assert.Equal(GoldLake.Paths[name], table.GoldPath);
        Assert.Contains(table.GoldPath, typeof(LakeTables).GetFields().Select(f => (string)f.GetValue(null)!));
        Assert.Equal(gold.Find("is_current") is not null, table.IsScd2);
    }

    [Fact]
    public async Task The_DuckDB_DDL_creates_the_model_in_dw_and_stg()
    {
        await using var connection = await DuckDbWarehouse.OpenAsync(Path.Combine(_temp.Path, "w.duckdb"), readOnly: false);
        await DuckDbWarehouse.EnsureSchemaAsync(connection);
        foreach (var schema in new[] { "dw", "stg" })
        {
            foreach (var table in WarehouseSchema.All)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = '{table.Name}' ORDER BY ordinal_position";
                await using var reader = await command.ExecuteReaderAsync();
                List<(string, string, bool)> actual = [];
                while (await reader.ReadAsync())
                {
                    actual.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2) == "YES"));
                }

                // Staging has no NOT NULL: a Gold row that breaks one must reach the loader's checks, not fail the insert.
                Assert.Equal(table.Columns.Select(c => (c.Name, c.DuckDbType, schema == "stg" || c.Nullable)), actual);
            }
        }
    }

    [Fact]
    public void The_Synapse_DDL_declares_the_model_with_the_designed_distribution()
    {
        var (fragment, errors) = TSql.Parse(File.ReadAllText(RepoPaths.Sql("synapse/create_star_schema.sql")));
        Assert.Empty(errors);
        var tables = TSql.CreateTables(fragment).ToDictionary(t => $"{t.SchemaObjectName.SchemaIdentifier.Value}.{t.SchemaObjectName.BaseIdentifier.Value}");

        foreach (var table in WarehouseSchema.All)
        {
            foreach (var schema in new[] { "dw", "stg" })
            {
                var create = tables[$"{schema}.{table.Name}"];
                var columns = create.Definition.ColumnDefinitions.Select(c => (
                    c.ColumnIdentifier.Value,
                    TSql.Script(c.DataType).Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
                    c.Constraints.OfType<NullableConstraintDefinition>().Single().Nullable));
                Assert.Equal(table.Columns.Select(c => (c.Name, c.SynapseType, c.Nullable)), columns);

                var distribution = create.Options.OfType<TableDistributionOption>().Single().Value;
                if (SynapseTableDesign.DistributionColumn(table) is { } hash)
                {
                    Assert.Equal(hash, Assert.IsType<TableHashDistributionPolicy>(distribution).DistributionColumn.Value);
                }
                else
                {
                    Assert.IsType(schema == "dw" ? typeof(TableReplicateDistributionPolicy) : typeof(TableRoundRobinDistributionPolicy), distribution);
                }
            }
        }

        Assert.Contains("etl.load_log", tables.Keys);
    }

    public void Dispose() => _temp.Dispose();
}
