using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using HealthcareOrleans.Cluster.Tests.Support;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Bronze;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Testing;
using Xunit.Abstractions;

namespace HealthcareOrleans.Cluster.Tests;

/// <summary>
/// Issue 8, guarantee 1 on a real cluster: redis-server, the embedded broker (hosted here), three silo processes
/// (Profile=kafka, Redis membership/state/reminders, one shared lake folder). The simulator produces at a steady rate;
/// one silo is killed with SIGKILL half-way. Bronze must hold every produced offset exactly once and the live ward
/// state must equal a single-threaded replay of the same records. The time from the kill to recovery is printed.
/// </summary>
public sealed class SiloKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ApiKey = "cluster-test-api-key";
    private const string Topic = PatientFlowStreams.DefaultTopic;
    private const int SiloCount = 3;
    // Far enough back that every event of the run lies in the past: the simulator never releases a future event.
    private static readonly DateTimeOffset SimulationStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Overridable for a longer local run; the defaults keep the test near two minutes on two cores.
    private static readonly int EventCount = Setting("HC_CLUSTER_TEST_EVENTS", 60_000);
    private static readonly int EventsPerSecond = Setting("HC_CLUSTER_TEST_RATE", 1_500);

    private readonly string _root = Directory.CreateTempSubdirectory("hc-cluster-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ChildProcess? _redis;
    private EmbeddedKafkaBroker? _broker;

    private sealed record SiloProcess(string Name, int HttpPort, ChildProcess Process)
    {
        public Uri Url(string path) => new($"http://127.0.0.1:{HttpPort}{path}");
    }

    public async Task InitializeAsync()
    {
        _http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var redisServer = RepoPaths.OnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: run `apt-get install -y redis-server` (tests/run.sh does)");
        var siloDll = RepoPaths.SiloDll;

        var redisPort = Ports.Free();
        _redis = new ChildProcess("redis", new ProcessStartInfo(redisServer)
        {
            ArgumentList = { "--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            WorkingDirectory = _root,
        }, Path.Combine(_root, "redis.log"));
        await Eventually.TrueAsync(() => Ports.AcceptsAsync(redisPort), TimeSpan.FromSeconds(20), () => Task.FromResult($"redis-server on {redisPort} does not accept connections: {_redis.Tail}"));

        Progress($"redis-server up on {redisPort}");
        _broker = await EmbeddedKafkaBroker.StartAsync([Topic]);
        Progress($"broker up on {_broker.BootstrapServers}");
        var lakeRoot = Path.Combine(_root, "lake");
        var clusterId = "cluster-test-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < SiloCount; i++)
        {
            var name = $"silo-{i}";
            var httpPort = Ports.Free();
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { siloDll, "--urls", $"http://127.0.0.1:{httpPort}" },
                WorkingDirectory = Path.GetDirectoryName(siloDll)!,
            };
            var env = start.Environment;
            env["Profile"] = "kafka";
            env["Kafka__BootstrapServers"] = _broker.BootstrapServers;
            env["Kafka__Topic"] = Topic;
            env["Kafka__SourceId"] = _broker.SourceId;
            env["Redis__ConnectionString"] = $"127.0.0.1:{redisPort}";
            env["Lake__Root"] = lakeRoot;
            env["Lake__BronzeFlushInterval"] = "00:00:01";
            env["HC_DATA_DIR"] = Path.Combine(_root, name);
            env["Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture);
            env["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture);
            env["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
            env["Orleans__SiloName"] = name;
            env["Orleans__ClusterId"] = clusterId;
            env["HC_API_KEY"] = ApiKey;
            env["Security__PseudonymKey"] = "cluster-test-pseudonym-key-0123456789abcdef0123456789";
            env["Simulator__Enabled"] = "false";
            env["Warehouse__Kind"] = "None";
            env["Logging__LogLevel__Default"] = "Warning";
            env["ASPNETCORE_ENVIRONMENT"] = "Production";
            // Three hosts share two cores: workstation GC keeps each one small.
            env["DOTNET_gcServer"] = "0";
            _silos.Add(new SiloProcess(name, httpPort, new ChildProcess(name, start, Path.Combine(_root, name + ".log"))));
        }

        await Eventually.TrueAsync(async () =>
        {
            foreach (var silo in _silos)
            {
                if (silo.Process.HasExited)
                {
                    Assert.Fail($"{silo.Name} exited during start-up:\n{silo.Process.Tail}");
                }

                if (!await IsReadyAsync(silo))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(90), () => Task.FromResult("silos not ready:\n" + string.Join("\n---\n", _silos.Select(s => $"{s.Name}: {s.Process.Tail}"))));
        Progress("all silos ready");
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Process.Dispose();
        }

        _redis?.Dispose();
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _http.Dispose();
        if (Environment.GetEnvironmentVariable("HC_CLUSTER_TEST_KEEP") is null)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task A_silo_killed_mid_stream_loses_and_duplicates_nothing_and_the_cluster_recovers()
    {
        var total = Stopwatch.StartNew();
        var messages = await GenerateAsync();
        Progress($"generated {messages.Count} events");

        // All partitions owned and reported before producing, so the kill hits a silo that is working.
        await Eventually.TrueAsync(async () => await StatusAsync(_silos) is { } s && s.Reports.Count == SiloCount && s.Covered.Count == EmbeddedKafkaBroker.DefaultPartitions,
            TimeSpan.FromSeconds(60), async () => $"status: {(await StatusAsync(_silos))?.Raw}");
        Progress($"cluster up in {total.Elapsed.TotalSeconds:0.0} s: redis, broker {_broker!.BootstrapServers}, {SiloCount} silos");

        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = "cluster-test-watermarks" }).Build();
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig
        {
            BootstrapServers = _broker.BootstrapServers,
            CompressionType = CompressionType.Gzip,
            LingerMs = 20,
            EnableIdempotence = true,
        }).Build();

        var sent = new List<Task<DeliveryResult<string?, byte[]>>>(messages.Count);
        // The CreateTime each message carries (the silos see it as the broker's append time); the reference needs the same.
        var stamps = new List<DateTime>(messages.Count);
        SiloProcess? killed = null;
        Recovery? recovery = null;
        Task? monitor = null;
        using var stopMonitor = new CancellationTokenSource();
        var produce = Stopwatch.StartNew();
        while (sent.Count < messages.Count)
        {
            var due = Math.Min(messages.Count, (int)(produce.Elapsed.TotalSeconds * EventsPerSecond) + 1);
            while (sent.Count < due)
            {
                var message = messages[sent.Count];
                var stamp = DateTime.UnixEpoch.AddMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                stamps.Add(stamp);
                sent.Add(producer.ProduceAsync(Topic, new Message<string?, byte[]>
                {
                    Key = message.Key,
                    Value = message.Value,
                    Timestamp = new Timestamp(stamp, TimestampType.CreateTime),
                }));
            }

            if (killed is null && sent.Count >= messages.Count / 2)
            {
                var status = await StatusAsync(_silos);
                // The silo holding the most partitions: killing it moves the most work.
                var victimName = status?.Reports.OrderByDescending(r => r.Partitions.Count).First().Silo ?? _silos[0].Name;
                killed = _silos.Single(s => s.Name == victimName);
                var endAtKill = Enumerable.Range(0, EmbeddedKafkaBroker.DefaultPartitions)
                    .ToDictionary(p => p, p => watermarks.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(5)).High.Value);
                killed.Process.KillHard();
                recovery = new Recovery(killed.Name, endAtKill);
                Progress($"kill -9 {killed.Name} (pid {killed.Process.Id}, partitions {string.Join(',', status?.Reports.Single(r => r.Silo == victimName).Partitions.Select(p => p.Partition) ?? [])}) after {sent.Count} of {messages.Count} events, {produce.Elapsed.TotalSeconds:0.0} s into producing");
                var survivors = _silos.Where(s => s != killed).ToList();
                monitor = MonitorAsync(survivors, recovery, stopMonitor.Token);
            }

            if (sent.Count % 10_000 < EventsPerSecond / 50 + 1)
            {
                Progress($"sent {sent.Count}");
            }

            await Task.Delay(20);
        }

        var producingEndedAfterKill = recovery?.SinceKill.Elapsed;
        var results = await Task.WhenAll(sent);
        producer.Flush(TimeSpan.FromSeconds(10));
        Progress($"produced {results.Length} events in {produce.Elapsed.TotalSeconds:0.0} s ({results.Length / produce.Elapsed.TotalSeconds:0} events/s, gzip)");
        Assert.NotNull(killed);
        var surviving = _silos.Where(s => s != killed).ToList();

        var records = results.Select((r, i) => new BrokerRecord(Topic, r.Partition.Value, r.Offset.Value, stamps[i], r.Message.Key, r.Message.Value)).ToList();
        var end = Enumerable.Range(0, EmbeddedKafkaBroker.DefaultPartitions)
            .Select(p => watermarks.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(5)))
            .ToList();
        Assert.All(end, w => Assert.Equal(0, w.Low.Value)); // nothing fell out of the mock broker's retention
        var brokerEnd = end.Sum(w => w.High.Value);
        Assert.Equal(records.Count, brokerEnd);

        // Bronze: every produced (partition, offset) exactly once, nothing else.
        List<(int Partition, long Offset)> bronze = [];
        await Eventually.TrueAsync(async () => (bronze = await BronzeOffsetsAsync()).Count >= records.Count, TimeSpan.FromSeconds(90),
            async () => $"{(await BronzeOffsetsAsync()).Count} of {records.Count} in Bronze; status {(await StatusAsync(surviving))?.Raw}");
        var duplicates = bronze.GroupBy(o => o).Count(g => g.Count() > 1);
        var missing = records.Select(r => (r.Partition, r.Offset)).Except(bronze).Count();
        var unknown = bronze.Except(records.Select(r => (r.Partition, r.Offset))).Count();
        Progress($"Bronze: {bronze.Count} rows for {records.Count} produced (broker end offsets sum {brokerEnd}); lost {missing}, duplicated {duplicates}, unknown {unknown}");
        Assert.Equal(0, missing);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, unknown);
        Assert.Equal(brokerEnd, bronze.Count);

        // Live state: every ward's occupied and waiting counts as a single thread applying the same records gets them.
        var reference = ReferencePipeline.Replay(records);
        var expected = HospitalLayout.Default.Hospitals
            .SelectMany(h => h.Wards.Select(w => reference.CensusOf(w, h.HospitalId)))
            .ToDictionary(c => c.WardId, c => (c.Occupied, c.Waiting), StringComparer.Ordinal);
        Progress($"reference: {reference.Patients.Count} patients, rejections {string.Join(", ", reference.Rejections.Select(r => $"{r.Key}={r.Value}"))}, ledgers {reference.Wards.Count}");
        Dictionary<string, (int Occupied, int Waiting)> actual = [];
        await Eventually.TrueAsync(async () =>
        {
            actual = await CensusAsync(surviving) ?? [];
            return expected.All(e => actual.TryGetValue(e.Key, out var a) && a == e.Value);
        }, TimeSpan.FromSeconds(60), () => Task.FromResult("ward census differs from the reference: " + string.Join("; ",
            expected.Where(e => !actual.TryGetValue(e.Key, out var a) || a != e.Value)
                .Select(e => $"{e.Key} expected {e.Value} got {(actual.TryGetValue(e.Key, out var a) ? a.ToString() : "none")}"))));
        Progress($"live census equals the reference for all {expected.Count} wards ({expected.Values.Sum(v => v.Occupied)} occupied, {expected.Values.Sum(v => v.Waiting)} waiting)");

        // Recovery: the status API reports lag 0 again (the monitor runs until then).
        await Eventually.TrueAsync(() => Task.FromResult(recovery!.LagZero is not null), TimeSpan.FromSeconds(60),
            async () => $"lag never returned to 0: {(await StatusAsync(surviving))?.Raw}");
        await stopMonitor.CancelAsync();
        await monitor!;
        Progress($"recovery after kill -9 of {recovery!.Killed}: partitions re-owned by survivors after {Seconds(recovery.Reassigned)}; "
            + $"kill-time backlog read after {Seconds(recovery.CaughtUp)}; /api/status lag 0 after {Seconds(recovery.LagZero)} "
            + $"(producing ended {Seconds(producingEndedAfterKill)} after the kill, at {EventsPerSecond} events/s)");
        Progress($"test body {total.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>To the test output and to progress.log in the test folder (readable while the test runs).</summary>
    private void Progress(string line)
    {
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(_root, "progress.log"), $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}");
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:0.0} s" : "never";

    private sealed class Recovery(string killed, Dictionary<int, long> endAtKill)
    {
        public string Killed { get; } = killed;
        public Dictionary<int, long> EndAtKill { get; } = endAtKill;
        public Stopwatch SinceKill { get; } = Stopwatch.StartNew();
        public TimeSpan? Reassigned { get; set; }
        public TimeSpan? CaughtUp { get; set; }
        public TimeSpan? LagZero { get; set; }
    }

    /// <summary>
    /// Polls the survivors' /api/status: when every partition is reported again by a live silo, when each has read past
    /// the broker's end at the kill, and when the API's lag is 0 (all four partitions reported by live silos).
    /// </summary>
    private async Task MonitorAsync(List<SiloProcess> survivors, Recovery recovery, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && recovery.LagZero is null)
        {
            if (await StatusAsync(survivors) is { } status)
            {
                var live = status.Reports.Where(r => r.Silo != recovery.Killed).ToList();
                var covered = live.SelectMany(r => r.Partitions).Select(p => p.Partition).Distinct().Count();
                if (covered == EmbeddedKafkaBroker.DefaultPartitions)
                {
                    recovery.Reassigned ??= recovery.SinceKill.Elapsed;
                    var next = live.SelectMany(r => r.Partitions).GroupBy(p => p.Partition).ToDictionary(g => g.Key, g => g.Max(p => p.NextOffset));
                    if (recovery.CaughtUp is null && recovery.EndAtKill.All(e => next[e.Key] >= e.Value))
                    {
                        recovery.CaughtUp = recovery.SinceKill.Elapsed;
                    }

                    if (recovery.CaughtUp is not null && status.Lag == 0 && status.Reports.All(r => r.Silo != recovery.Killed))
                    {
                        recovery.LagZero = recovery.SinceKill.Elapsed;
                    }
                }
            }

            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<List<SimulatedMessage>> GenerateAsync()
    {
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = 8, Start = SimulationStart, Count = EventCount, Faults = FaultInjectionOptions.None });
        List<SimulatedMessage> messages = new(EventCount);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    private async Task<bool> IsReadyAsync(SiloProcess silo)
    {
        try
        {
            using var response = await _http.GetAsync(silo.Url("/healthz/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private sealed record PartitionReport(int Partition, long NextOffset, long HighWatermark);

    private sealed record SiloReport(string Silo, List<PartitionReport> Partitions);

    private sealed record Status(long Lag, List<SiloReport> Reports, string Raw)
    {
        public HashSet<int> Covered => [.. Reports.SelectMany(r => r.Partitions).Select(p => p.Partition)];
    }

    /// <summary>/api/status from the first silo that answers; null when none does.</summary>
    private async Task<Status?> StatusAsync(IEnumerable<SiloProcess> silos)
    {
        foreach (var silo in silos.Where(s => !s.Process.HasExited))
        {
            try
            {
                var json = await _http.GetFromJsonAsync<JsonElement>(silo.Url("/api/status"));
                var reports = json.GetProperty("silos").EnumerateArray().Select(s => new SiloReport(
                    s.GetProperty("silo").GetString()!,
                    [.. s.GetProperty("partitions").EnumerateArray().Select(p => new PartitionReport(
                        p.GetProperty("partition").GetInt32(), p.GetProperty("next_offset").GetInt64(), p.GetProperty("high_watermark").GetInt64()))])).ToList();
                return new Status(json.GetProperty("lag").GetInt64(), reports, json.GetRawText());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
            }
        }

        return null;
    }

    private async Task<Dictionary<string, (int Occupied, int Waiting)>?> CensusAsync(IEnumerable<SiloProcess> silos)
    {
        foreach (var silo in silos.Where(s => !s.Process.HasExited))
        {
            try
            {
                var json = await _http.GetFromJsonAsync<JsonElement>(silo.Url("/api/census"));
                return json.GetProperty("wards").EnumerateArray().ToDictionary(
                    w => w.GetProperty("ward_id").GetString()!,
                    w => (w.GetProperty("occupied").GetInt32(), w.GetProperty("waiting").GetInt32()),
                    StringComparer.Ordinal);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
            }
        }

        return null;
    }

    /// <summary>(partition, offset) of every Bronze row in the shared lake, read through a reader of its own.</summary>
    private async Task<List<(int Partition, long Offset)>> BronzeOffsetsAsync()
    {
        var reader = new LocalLakeStorage(Path.Combine(_root, "lake"));
        if (!await new HealthcareOrleans.Lake.Log.DeltaLog(reader, BronzeTable.Path).ExistsAsync())
        {
            return [];
        }

        var table = await DeltaTable.OpenAsync(reader, BronzeTable.Path);
        var batch = await table.ReadAsync(columns: [BronzeTable.Source, BronzeTable.Partition, BronzeTable.Offset]);
        Assert.All(batch.Column<string?>(BronzeTable.Source), s => Assert.Equal(_broker!.SourceId, s));
        return [.. batch.Column<int?>(BronzeTable.Partition).Zip(batch.Column<long?>(BronzeTable.Offset), (p, o) => (p!.Value, o!.Value))];
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
