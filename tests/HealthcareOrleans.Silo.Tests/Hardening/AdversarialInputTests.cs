using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using DuckDB.NET.Data;
using HealthcareOrleans.Testing;

namespace HealthcareOrleans.Silo.Tests.Hardening;

/// <summary>
/// What a hostile producer, a curious local user and a careless operator tried, against a running silo through the
/// real (embedded, Kafka-protocol) broker, its HTTP API and <c>hc</c>. Each outcome is checked against the message
/// sent or against the lake's files read with DuckDB, never against the engine's own account of itself.
/// </summary>
public sealed class AdversarialInputTests(AdversarialSilo fixture) : IClassFixture<AdversarialSilo>
{
    private static readonly TimeSpan LakeWait = TimeSpan.FromSeconds(60);

    private SiloProcess Silo => fixture.Silo;

    [Fact]
    public async Task Every_bad_message_through_the_broker_is_quarantined_with_its_reason()
    {
        var sent = new List<(QuarantineCase Case, int Partition, long Offset)>();
        foreach (var bad in AdversarialCases.Quarantined)
        {
            foreach (var before in bad.SentBefore ?? [])
            {
                Assert.Equal(PersistenceStatus.Persisted, (await fixture.ProduceAsync(bad.Key, before)).Status);
            }

            var result = await fixture.ProduceAsync(bad.Key, bad.Payload);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
            sent.Add((bad, result.Partition.Value, result.Offset.Value));
        }

        Dictionary<(int, long), string> reasons = [];
        await Until(async () =>
        {
            reasons = await QuarantineReasonsAsync();
            return sent.All(s => reasons.ContainsKey((s.Partition, s.Offset)));
        }, LakeWait, () => "not quarantined yet: " + string.Join(", ", sent.Where(s => !reasons.ContainsKey((s.Partition, s.Offset))).Select(s => s.Case.Name)));

        var wrong = sent.Where(s => reasons[(s.Partition, s.Offset)] != s.Case.ExpectedReason)
            .Select(s => $"{s.Case.Name}: expected {s.Case.ExpectedReason}, got {reasons[(s.Partition, s.Offset)]}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_six_megabyte_message_is_refused_and_the_next_valid_admit_on_its_partition_reaches_its_patient()
    {
        using var bigProducer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = Silo.BrokerAddress,
            MessageMaxBytes = 20_000_000,
            MessageTimeoutMs = 5_000,
        }).Build();
        var big = await Record.ExceptionAsync(() => bigProducer.ProduceAsync(new TopicPartition("patient-flow", 2),
            new Message<string, byte[]> { Key = "ADV-6MB", Value = new byte[6_000_000] }));
        Assert.IsType<ProduceException<string, byte[]>>(big);

        var admitted = await fixture.ProduceAsync("ADV-AFTER-6MB", AdversarialCases.Admit("adv-after-6mb", "ADV-AFTER-6MB"), partition: 2);
        Assert.Equal(PersistenceStatus.Persisted, admitted.Status);

        JsonElement patient = default;
        await Until(async () =>
        {
            using var response = await Silo.Http.GetAsync(new Uri("/api/patients/ADV-AFTER-6MB", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            patient = await response.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, TimeSpan.FromSeconds(30), () => "the valid ADMIT after the 6 MB message never reached its patient");
        Assert.Equal("ADMITTED", patient.GetProperty("status").GetString());
        Assert.Equal(0, (await Silo.StatusAsync()).GetProperty("messages_skipped").GetInt64());
    }

    [Theory]
    [InlineData("%20")]
    [InlineData("%20%20%09")]
    [InlineData("A%00B")]
    [InlineData("P-1%E2%80%AE0")]
    public async Task A_blank_or_unprintable_patient_id_gets_a_clear_400_and_no_stack_trace(string escapedId)
    {
        // The silo is shared by the class: what other tests' requests logged before this one is not this request's.
        var outputBefore = Silo.Output.Length;
        using var response = await Silo.Http.GetAsync(new Uri("/api/patients/" + escapedId, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // Kestrel itself refuses a NUL in the path, before any endpoint, with an empty 400; every other case is ours.
        var body = await response.Content.ReadAsStringAsync();
        if (!escapedId.Contains("%00", StringComparison.Ordinal))
        {
            Assert.Contains("patient id", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Exception", Silo.Output[outputBefore..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData("P-1\u202E0")]
    [InlineData("P-1\u001B[2J")]
    public async Task Hc_patient_with_a_blank_or_unprintable_id_says_why_and_exits_with_2(string id)
    {
        var hc = await HcProcess.RunAsync("patient", id, "--gateway", $"127.0.0.1:{Silo.GatewayPort}");

        Assert.Equal(2, hc.ExitCode);
        Assert.Contains("patient id", hc.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", hc.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001B", hc.Errors + hc.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", hc.Errors + hc.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_answer_get_and_head_and_refuse_every_other_method()
    {
        using var anonymous = new HttpClient { BaseAddress = Silo.Http.BaseAddress };
        foreach (var allowed in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(allowed, "/metrics"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (var refused in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, new HttpMethod("PROPFIND") })
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(refused, "/metrics") { Content = new StringContent("x") });
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{refused} /metrics answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Looking_up_three_thousand_unknown_patients_leaves_no_activations_behind()
    {
        var before = await PatientActivationsAsync();
        var lookups = Enumerable.Range(0, 3_000).Select(i => $"ADV-UNKNOWN-{i}").ToList();
        foreach (var batch in lookups.Chunk(50))
        {
            await Task.WhenAll(batch.Select(async id =>
            {
                fixture.PatientIdsSent.Add(id);
                using var response = await Silo.Http.GetAsync(new Uri("/api/patients/" + id, UriKind.Relative));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }));
        }

        long after = 0;
        await Until(async () => (after = await PatientActivationsAsync()) - before < 100, TimeSpan.FromSeconds(30),
            () => $"patient activations went from {before} to {after} after 3,000 lookups of unknown patients");
    }

    [Fact]
    public async Task Patient_ids_sent_and_looked_up_never_appear_in_clear_in_the_silo_output()
    {
        const string Patient = "ADV-PHI-7731";
        await fixture.ProduceAsync(Patient, AdversarialCases.Admit("adv-phi-1", Patient));
        await Until(async () =>
        {
            using var response = await Silo.Http.GetAsync(new Uri("/api/patients/" + Patient, UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(30), () => "the patient never appeared");
        using (await Silo.Http.GetAsync(new Uri("/api/patients/ADV-PHI-NOBODY", UriKind.Relative)))
        {
            fixture.PatientIdsSent.Add("ADV-PHI-NOBODY");
        }

        // The request lines are logged (at the level this silo runs with), with the id replaced by its pseudonym.
        await Until(() => Task.FromResult(Regex.IsMatch(Silo.Output, "/api/patients/p_[0-9a-f]{16}")), TimeSpan.FromSeconds(10),
            () => "no request line for /api/patients/ in the output");
        var output = Silo.Output;
        var leaked = fixture.PatientIdsSent.Where(id => id.Trim().Length > 3 && output.Contains(id, StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(leaked.Count == 0, $"patient ids in clear in the output: {string.Join(", ", leaked)}\n{string.Join("\n", output.Split('\n').Where(l => leaked.Any(id => l.Contains(id, StringComparison.Ordinal))).Take(10))}");
        Assert.DoesNotContain(Silo.WorkingDirectory, output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_is_0700_and_every_file_the_silo_wrote_under_it_is_owner_only()
    {
        const string Patient = "ADV-FILES-1";
        await fixture.ProduceAsync(Patient, AdversarialCases.Admit("adv-files-1", Patient));
        string[] expected = ["lake/bronze/patient_flow_raw", "lake/silver/patient_flow_events", "lake/gold", "grains", "warehouse.duckdb"];
        await Until(() => Task.FromResult(expected.All(p => Path.Exists(Path.Combine(Silo.DataDirectory, p)))
                && Directory.EnumerateFiles(Path.Combine(Silo.DataDirectory, "lake", "gold"), "*.parquet", SearchOption.AllDirectories).Any()),
            LakeWait, () => "missing: " + string.Join(", ", expected.Where(p => !Path.Exists(Path.Combine(Silo.DataDirectory, p)))));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Silo.DataDirectory));
        var open = Directory.EnumerateFileSystemEntries(Silo.DataDirectory, "*", SearchOption.AllDirectories)
            .Select(path => (path, mode: StatMode(path)))
            .Where(entry => (entry.mode & 0b000_111_111) != 0)
            .Select(entry => $"{Convert.ToString(entry.mode & 0b111_111_111, 8)} {Path.GetRelativePath(Silo.DataDirectory, entry.path)}")
            .ToList();
        Assert.True(open.Count == 0, "readable by group or others:\n" + string.Join("\n", open.Take(20)));
    }

    [Fact]
    public async Task Status_says_the_embedded_broker_is_not_durable_and_names_the_durable_setup()
    {
        await Until(async () => (await Silo.StatusAsync()).TryGetProperty("durability", out var d) && d.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(15), () => "no durability in /api/status");
        var durability = (await Silo.StatusAsync()).GetProperty("durability");
        Assert.False(durability.GetProperty("durable").GetBoolean());
        Assert.Contains("kill -9", durability.GetProperty("statement").GetString(), StringComparison.Ordinal);
        Assert.Contains("Profile=kafka", durability.GetProperty("statement").GetString(), StringComparison.Ordinal);

        var hc = await HcProcess.RunAsync("status", "--gateway", $"127.0.0.1:{Silo.GatewayPort}");
        Assert.True(hc.ExitCode == 0, hc.Errors);
        Assert.Contains("Durability:", hc.Output, StringComparison.Ordinal);
        Assert.Contains("NOT durable", hc.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hc_lake_read_prints_a_text_payload_as_its_text_and_a_binary_one_as_base64()
    {
        byte[] binary = [0x00, 0xFF, 0xFE, 0x7B, 0x80, 0x01];
        var text = AdversarialCases.Admit("adv-text-1", "ADV-TEXT-1");
        var binaryAt = await fixture.ProduceAsync("ADV-BINARY-1", binary);
        var textAt = await fixture.ProduceAsync("ADV-TEXT-1", text);

        Dictionary<(int, long), string> payloads = [];
        await Until(async () =>
        {
            var hc = await HcProcess.RunAsync("lake", "read", "bronze/patient_flow_raw", "--lake", Silo.LakeDirectory, "--limit", "1000000", "--json");
            if (hc.ExitCode != 0)
            {
                return false;
            }

            payloads = JsonDocument.Parse(hc.Output).RootElement.EnumerateArray()
                .ToDictionary(r => (r.GetProperty("partition").GetInt32(), r.GetProperty("offset").GetInt64()), r => r.GetProperty("payload").GetString()!);
            return payloads.ContainsKey((binaryAt.Partition.Value, binaryAt.Offset.Value)) && payloads.ContainsKey((textAt.Partition.Value, textAt.Offset.Value));
        }, LakeWait, () => "the two messages are not in Bronze yet");

        Assert.Equal("base64:" + Convert.ToBase64String(binary), payloads[(binaryAt.Partition.Value, binaryAt.Offset.Value)]);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(text), payloads[(textAt.Partition.Value, textAt.Offset.Value)]);
    }

    /// <summary>Silver's quarantine as its Parquet files hold it, read by DuckDB: (partition, offset) → reason.</summary>
    private async Task<Dictionary<(int, long), string>> QuarantineReasonsAsync()
    {
        var folder = Path.Combine(Silo.LakeDirectory, "silver", "quarantine");
        if (!Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any())
        {
            return [];
        }

        await using var duck = new DuckDBConnection("Data Source=:memory:");
        await duck.OpenAsync();
        await using var query = duck.CreateCommand();
        query.CommandText = $"SELECT source_partition, source_offset, reason FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true)";
        await using var reader = await query.ExecuteReaderAsync();
        Dictionary<(int, long), string> reasons = [];
        while (await reader.ReadAsync())
        {
            reasons[(reader.GetInt32(0), reader.GetInt64(1))] = reader.GetString(2);
        }

        return reasons;
    }

    /// <summary>Resident patient-grain activations, from Orleans' own gauge on <c>/metrics</c>.</summary>
    private async Task<long> PatientActivationsAsync()
    {
        var metrics = await Silo.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var perType = Regex.Matches(metrics, @"^orleans_catalog_activations\{[^}]*grain_type=""patient""[^}]*\}\s+(\d+)", RegexOptions.Multiline);
        Assert.True(perType.Count > 0, "no orleans_catalog_activations gauge for patient grains on /metrics");
        return perType.Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe) =>
        Eventually.TrueAsync(condition, timeout, () => Task.FromResult(describe()));

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static int StatMode(string path) => (int)File.GetUnixFileMode(path);
}
