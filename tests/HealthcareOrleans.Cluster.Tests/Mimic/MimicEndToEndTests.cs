using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DuckDB.NET.Data;
using HealthcareOrleans.Cluster.Tests.Support;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Simulation.Replay.Mimic;
using HealthcareOrleans.Testing;
using Xunit.Abstractions;

namespace HealthcareOrleans.Cluster.Tests.Mimic;

/// <summary>
/// The README's "Feed it real data" commands, run as a user runs them: <c>hc replay mimic</c>, a silo on the replayed
/// layout with the simulator off, the ADT feed sent to it, <c>hc flush run gold</c>. Gold's ward stays per care unit
/// and its admissions must then equal what DuckDB computes straight from MIMIC's transfers.csv.gz, to 0.01 h.
/// </summary>
public sealed class MimicEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string ApiKey = "mimic-end-to-end-key";
    private readonly string _root = Directory.CreateTempSubdirectory("hc-mimic-e2e-").FullName;
    private readonly List<ChildProcess> _processes = [];

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static string Demo => Path.GetFullPath(Path.Combine(RepositoryBuild.Root, "..", "shared", "data", "mimic-iv-demo-2.2"));

    private static string Transfers => Path.Combine(Demo, "hosp", "transfers.csv.gz");

    /// <summary>transfers.csv as MIMIC publishes it: empty careunit, outtime and hadm_id are NULL.</summary>
    private static string TransfersTable =>
        "read_csv('" + Transfers.Replace("'", "''", StringComparison.Ordinal) + "', header = true, columns = {'subject_id': 'BIGINT', 'hadm_id': 'BIGINT', "
        + "'transfer_id': 'BIGINT', 'eventtype': 'VARCHAR', 'careunit': 'VARCHAR', 'intime': 'TIMESTAMP', 'outtime': 'TIMESTAMP'})";

    [Fact]
    public async Task Gold_stays_per_care_unit_and_admissions_equal_duckdb_over_transfers_csv()
    {
        var feed = Path.Combine(_root, "feed");
        var replay = await RunHcAsync(null, "replay", "mimic", Demo, "--out", feed);
        output.WriteLine(replay);

        var httpPort = LoopbackPorts.Free();
        var gatewayPort = LoopbackPorts.Free();
        var mllpPort = LoopbackPorts.Free();
        var silo = StartSilo(Path.Combine(feed, MimicReplayConverter.LayoutFile), httpPort, gatewayPort, mllpPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        await Eventually.TrueAsync(async () => !silo.HasExited && await SiloHealth.IsReadyAsync(http, http.BaseAddress!), TimeSpan.FromSeconds(120), () => Task.FromResult(silo.Tail));

        var watch = Stopwatch.StartNew();
        output.WriteLine(await SendAsync(feed, mllpPort));
        var messages = File.ReadAllText(Path.Combine(feed, MimicReplayConverter.AdtFile)).Split('\r').Count(s => s.StartsWith("MSH|", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => await AppliedAsync(http) >= messages, TimeSpan.FromSeconds(180),
            async () => $"{await AppliedAsync(http)} of {messages} applied; status {await http.GetStringAsync(new Uri("/api/status", UriKind.Relative))}");
        var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/status", UriKind.Relative))).RootElement;
        Assert.Equal(0, status.GetProperty("messages_rejected").GetInt64());
        output.WriteLine($"{messages} messages applied in {watch.Elapsed.TotalSeconds:0.0} s");

        output.WriteLine(await WithSiloLogAsync(silo, RunHcAsync(gatewayPort, "flush", "run", "bronze")));
        var flushWatch = Stopwatch.StartNew();
        output.WriteLine(await WithSiloLogAsync(silo, RunHcAsync(gatewayPort, "flush", "run", "gold")));
        output.WriteLine($"gold flushed in {flushWatch.Elapsed.TotalSeconds:0.0} s");

        var layout = HospitalLayout.LoadFile(Path.Combine(feed, MimicReplayConverter.LayoutFile));
        var wardOfUnit = layout.Wards.ToDictionary(w => w.Name, w => w.WardId, StringComparer.Ordinal);
        var lake = new LocalLakeStorage(Path.Combine(_root, "data", "lake"));
        var stays = await (await DeltaTable.OpenAsync(lake, LakeTables.GoldFactWardStay)).ReadAsync(columns: ["ward_id", "length_of_stay_hours"]);
        var encounters = await (await DeltaTable.OpenAsync(lake, LakeTables.GoldFactEncounter)).ReadAsync(columns: ["admitted_at", "length_of_stay_hours", "discharged_from_ed"]);

        var gold = Enumerable.Range(0, stays.RowCount)
            .GroupBy(i => (string)stays.Column("ward_id").GetValue(i)!)
            .ToDictionary(g => g.Key, g => (Stays: g.Count(), Hours: g.Sum(i => (double?)stays.Column("length_of_stay_hours").GetValue(i) ?? double.NaN)), StringComparer.Ordinal);

        // A stay is a run of consecutive rows of one admission in one unit (a move inside the unit is a bed change);
        // it lasts until the admission's next row (the next unit, or the discharge).
        var expected = Query($"""
            WITH t AS (SELECT * FROM {TransfersTable}
                       WHERE hadm_id IS NOT NULL AND eventtype <> 'ED'),
                 ordered AS (SELECT *, LAG(careunit) OVER (PARTITION BY hadm_id ORDER BY intime, eventtype = 'discharge') AS previous_unit,
                                       LEAD(intime) OVER (PARTITION BY hadm_id ORDER BY intime, eventtype = 'discharge') AS next_in FROM t),
                 runs AS (SELECT *, SUM(CASE WHEN previous_unit IS DISTINCT FROM careunit THEN 1 ELSE 0 END)
                                     OVER (PARTITION BY hadm_id ORDER BY intime, eventtype = 'discharge' ROWS UNBOUNDED PRECEDING) AS run FROM ordered WHERE eventtype <> 'discharge'),
                 stays AS (SELECT careunit, MIN(intime) AS entered, MAX(next_in) AS left_at FROM runs GROUP BY hadm_id, run, careunit)
            SELECT careunit, CAST(COUNT(*) AS DOUBLE), SUM(epoch(left_at) - epoch(entered)) / 3600.0 FROM stays GROUP BY careunit
            """);
        Assert.NotEmpty(expected);
        foreach (var (unit, (count, hours)) in expected)
        {
            var ward = wardOfUnit[unit];
            Assert.True(gold.TryGetValue(ward, out var actual), $"no Gold stay in {ward}");
            output.WriteLine($"{unit,-50} stays {count,4} / {actual.Stays,4}   hours {hours,10:0.00} / {actual.Hours,10:0.00}");
            Assert.Equal((int)count, actual.Stays);
            Assert.Equal(hours, actual.Hours, 0.01);
        }

        Assert.Equal(expected.Count, gold.Count);

        var admissions = Query($"""
            WITH t AS (SELECT * FROM {TransfersTable})
            SELECT 'admissions', CAST(COUNT(*) AS DOUBLE), SUM(epoch(d.intime) - epoch(a.intime)) / 3600.0
            FROM t a JOIN t d ON a.hadm_id = d.hadm_id AND a.eventtype = 'admit' AND d.eventtype = 'discharge'
            UNION ALL SELECT 'ed_only', CAST(COUNT(*) AS DOUBLE), 0 FROM t WHERE eventtype = 'ED' AND hadm_id IS NULL
            """);
        var admitted = Enumerable.Range(0, encounters.RowCount).Where(i => encounters.Column("admitted_at").GetValue(i) is not null).ToList();
        output.WriteLine($"admissions {admissions["admissions"].Count} / {admitted.Count}, hours {admissions["admissions"].Hours:0.00} / {admitted.Sum(i => (double)encounters.Column("length_of_stay_hours").GetValue(i)!):0.00}");
        Assert.Equal((int)admissions["admissions"].Count, admitted.Count);
        Assert.Equal(admissions["admissions"].Hours, admitted.Sum(i => (double)encounters.Column("length_of_stay_hours").GetValue(i)!), 0.01);
        Assert.Equal((int)admissions["ed_only"].Count, Enumerable.Range(0, encounters.RowCount).Count(i => (bool)encounters.Column("discharged_from_ed").GetValue(i)!));
    }

    private ChildProcess StartSilo(string layoutFile, int httpPort, int gatewayPort, int mllpPort)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepositoryBuild.SiloDll, "--urls", $"http://127.0.0.1:{httpPort}" },
            WorkingDirectory = Path.GetDirectoryName(RepositoryBuild.SiloDll)!,
        };
        var env = start.Environment;
        env["Hospital__LayoutFile"] = layoutFile;
        env["Simulator__Enabled"] = "false";
        env["HC_DATA_DIR"] = Path.Combine(_root, "data");
        env["HC_API_KEY"] = ApiKey;
        env["Orleans__SiloPort"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        env["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        env["Hl7__MllpPort"] = mllpPort.ToString(CultureInfo.InvariantCulture);
        env["Logging__LogLevel__Default"] = "Warning";
        // Gold is what is compared; the warehouse load after each Gold version would only add minutes.
        env["Warehouse__Kind"] = "None";
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["DOTNET_gcServer"] = "0";
        var process = new ChildProcess("silo", start, Path.Combine(_root, "silo.log"));
        _processes.Add(process);
        return process;
    }

    /// <summary>The feed over MLLP, as the README's third command sends it; hc exits 0 only when every ACK is AA.</summary>
    private Task<string> SendAsync(string feed, int mllpPort) =>
        RunHcAsync(null, "hl7", "send", Path.Combine(feed, MimicReplayConverter.AdtFile), "--host", "127.0.0.1", "--port", mllpPort.ToString(CultureInfo.InvariantCulture));

    private async Task<string> RunHcAsync(int? gatewayPort, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryBuild.ClientDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (gatewayPort is { } port)
        {
            start.ArgumentList.Add("--gateway");
            start.ArgumentList.Add($"127.0.0.1:{port}");
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"hc {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}");
        return await stdout;
    }

    // A flush that fails says why in the silo's log, not in the client's exit message.
    private static async Task<string> WithSiloLogAsync(ChildProcess silo, Task<string> command)
    {
        try
        {
            return await command;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}silo log:{Environment.NewLine}{silo.Tail}", ex);
        }
    }

    private static async Task<long> AppliedAsync(HttpClient http)
    {
        var status = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/status", UriKind.Relative));
        return status.GetProperty("events_applied").GetInt64() + status.GetProperty("messages_rejected").GetInt64();
    }

    private static Dictionary<string, (double Count, double Hours)> Query(string sql)
    {
        using DuckDBConnection connection = new("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = (reader.GetDouble(1), reader.GetDouble(2));
        }

        return rows;
    }
}
