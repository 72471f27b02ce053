using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Warehouse.Loading;
using HealthcareOrleans.Warehouse.Model;
using HealthcareOrleans.Warehouse.Synapse;
using HealthcareOrleans.Warehouse.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Warehouse.Tests;

/// <summary>
/// No Synapse here, so Microsoft's own T-SQL parser checks every Synapse statement: the files in sql/synapse and
/// every statement the loader generates, for every table and both load paths.
/// </summary>
public sealed class SynapseSqlParseTests : IDisposable
{
    private const string LakeUrl = "https://hclake.dfs.core.windows.net/lake";
    private readonly TempDirectory _temp = new();

    public static TheoryData<string> SynapseFiles() => [.. FilesOnDisk()];

    private static List<string> FilesOnDisk() =>
        [.. Directory.EnumerateFiles(RepoPaths.Sql("synapse"), "*.sql", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepoPaths.Sql("synapse"), f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(SynapseFiles))]
    public void Every_Synapse_SQL_file_parses_without_errors(string file)
    {
        var (_, errors) = TSql.Parse(File.ReadAllText(Path.Combine(RepoPaths.Sql("synapse"), file)));

        Assert.True(errors.Count == 0, $"{file}: {TSql.Describe(errors)}");
    }

    [Fact]
    public void Every_Synapse_file_is_embedded_for_the_loader()
    {
        Assert.Equal(FilesOnDisk().Select(f => "synapse/" + f), SynapseScripts.All.Order(StringComparer.Ordinal));
        Assert.Equal(7, SqlScripts.List("synapse/views/").Count);
    }

    [Fact]
    public void A_broken_statement_is_rejected_with_its_position()
    {
        var broken = SynapseStatements.InsertNew(WarehouseSchema.FactEncounter, "x").Replace("SELECT", "SELEC", StringComparison.Ordinal);

        var (_, errors) = TSql.Parse(broken);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Line >= 1 && e.Column >= 1));
    }

    [Theory]
    [InlineData(SynapseLoadPath.CopyInto, CopyIntoCredential.ManagedIdentity)]
    [InlineData(SynapseLoadPath.CopyInto, CopyIntoCredential.CallerIdentity)]
    [InlineData(SynapseLoadPath.BulkCopy, CopyIntoCredential.ManagedIdentity)]
    public async Task Every_statement_the_loader_generates_parses_without_errors(SynapseLoadPath path, CopyIntoCredential credential)
    {
        var gold = await WriteGoldAsync();
        var loader = Loader(new SynapseOptions { LoadPath = path, CopyCredential = credential, CopyFilesPerStatement = 2 });
        var statements = 0;

        foreach (var table in WarehouseSchema.All)
        {
            var version = (await GoldSource.OpenAsync(gold.Storage, table, default))!;
            foreach (var statement in loader.PlanStatements(version, Guid.NewGuid().ToString("N")))
            {
                var (_, errors) = TSql.Parse(statement);
                Assert.True(errors.Count == 0, $"{table.Name}: {TSql.Describe(errors)}\n{statement}");
                statements++;
            }
        }

        Assert.True(statements >= WarehouseSchema.All.Count * 10, $"only {statements} statements were checked");
    }

    [Fact]
    public async Task The_generated_COPY_INTO_names_exactly_the_snapshots_active_files()
    {
        var gold = await WriteGoldAsync();
        // A removed file stays in the folder until vacuum: COPY INTO must not read it.
        await gold.DeleteAsync("fact_ward_stay", r => (string)r["encounter_id"]! == "E3");
        var version = (await GoldSource.OpenAsync(gold.Storage, WarehouseSchema.FactWardStay, default))!;
        var expected = version.Snapshot.ActiveFiles.Select(f => $"{LakeUrl}/gold/fact_ward_stay/{f.Path}").Order(StringComparer.Ordinal).ToList();
        var onDisk = Directory.EnumerateFiles(Path.Combine(_temp.Path, "lake", "gold", "fact_ward_stay"), "*.parquet").Count();

        var copies = Loader(new SynapseOptions { CopyFilesPerStatement = 1 }).PlanStatements(version, "l1").Where(s => s.StartsWith("COPY INTO", StringComparison.Ordinal)).ToList();
        var named = copies.SelectMany(CopySources).Order(StringComparer.Ordinal).ToList();

        Assert.True(onDisk > expected.Count, "the test needs a removed file on disk");
        Assert.Equal(expected, named);
        Assert.Equal(expected.Count, copies.Count);
        Assert.All(copies, c => Assert.StartsWith("COPY INTO stg.[fact_ward_stay__l1] ([stay_id], [patient_sk]", c, StringComparison.Ordinal));
    }

    [Fact]
    public void Synapse_options_fail_with_what_to_set()
    {
        var result = new SynapseOptionsValidator().Validate(null, new SynapseOptions { ConnectionString = "Server=tcp:x.sql.azuresynapse.net;Database=dw;Password=p;User ID=u", LakeUrl = "http://insecure", BulkCopyBatchRows = 1000 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("must carry no Password", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("LakeUrl must be the lake root as an https URL", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("at least 102,400", StringComparison.Ordinal));
        Assert.True(new SynapseOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Fact]
    public void Retry_delays_grow_exponentially_up_to_the_cap()
    {
        var policy = new SqlRetryPolicy(new SynapseOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(10) }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        for (var attempt = 0; attempt < 8; attempt++)
        {
            var nominal = Math.Min(Math.Pow(2, attempt), 10);
            var delay = policy.Delay(attempt).TotalSeconds;
            Assert.InRange(delay, nominal / 2, nominal);
        }
    }

    private static SynapseOptions Valid() => new() { ConnectionString = "Server=tcp:hc.sql.azuresynapse.net,1433;Database=hcdw;Encrypt=True", LakeUrl = LakeUrl };

    private static SynapseWarehouseLoader Loader(SynapseOptions options)
    {
        var valid = Valid();
        options.ConnectionString = valid.ConnectionString;
        options.LakeUrl = valid.LakeUrl;
        Assert.True(new SynapseOptionsValidator().Validate(null, options).Succeeded);
        // Never connects: only PlanStatements is used, which needs no server.
        return new SynapseWarehouseLoader(options, new SynapseConnectionFactory(options));
    }

    private async Task<GoldLake> WriteGoldAsync()
    {
        var gold = new GoldLake(new LocalLakeStorage(Path.Combine(_temp.Path, "lake")));
        await HandCheckedScenario.WriteAsync(gold);
        // More commits so the versions have several files.
        foreach (var table in new[] { "fact_ward_stay", "fact_encounter" })
        {
            await gold.AppendAsync(table, [table == "fact_ward_stay"
                ? GoldRows.Stay("P3", HandCheckedScenario.P3Since, "E4", "ED", GoldRows.At("2026-03-14T11:00:00Z"), null, "admission", null)
                : GoldRows.Encounter("P3", HandCheckedScenario.P3Since, "E4", "emergency", 3, GoldRows.At("2026-03-14T11:00:00Z"), null, null, "waiting", "ED", "ED", 0)]);
        }
        return gold;
    }

    private static IEnumerable<string> CopySources(string copy)
    {
        var (fragment, errors) = TSql.Parse(copy);
        Assert.Empty(errors);
        var statement = Assert.IsType<Microsoft.SqlServer.TransactSql.ScriptDom.CopyStatement>(Assert.Single(Assert.Single(((Microsoft.SqlServer.TransactSql.ScriptDom.TSqlScript)fragment).Batches).Statements));
        return statement.From.Select(f => f.Value);
    }

    public void Dispose() => _temp.Dispose();
}
