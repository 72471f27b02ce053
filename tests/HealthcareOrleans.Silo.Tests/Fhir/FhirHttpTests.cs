using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Testing;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Mvc.Testing;
using Task = System.Threading.Tasks.Task;

namespace HealthcareOrleans.Silo.Tests.Fhir;

/// <summary>One silo host on Kestrel for the class: starting one per case would cost seconds each.</summary>
public sealed class FhirHostFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key-for-fhir";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hc-fhir-").FullName;
    private WebApplicationFactory<Program>? _factory;

    public HttpClient Http { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("HC_DATA_DIR", _dataDirectory);
        Environment.SetEnvironmentVariable("HC_API_KEY", ApiKey);
        Environment.SetEnvironmentVariable("Simulator__Enabled", "false");
        Environment.SetEnvironmentVariable("Orleans__SiloPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Orleans__GatewayPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture));
        _factory = new WebApplicationFactory<Program>();
        var port = LoopbackPorts.Free();
        _factory.UseKestrel(port);
        _factory.StartServer();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }
}

/// <summary>
/// FHIR R4 over real HTTP (Kestrel on 127.0.0.1) against the real silo host on the embedded profile: accepted
/// Encounters reach the patients through the broker; everything refused answers 4xx with an OperationOutcome.
/// </summary>
[Collection(SiloHostCollection.Name)]
public sealed class FhirHttpTests(FhirHostFixture host, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FhirHostFixture>
{
    private readonly HttpClient _http = host.Http;

    private static string Stamp(TimeSpan ago) => (DateTimeOffset.UtcNow - ago).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Encounter(string id, string patient, string status, string classCode, string ward, string? secondWard = null) => $$"""
        {"resourceType":"Encounter","id":"{{id}}","status":"{{status}}","class":{"code":"{{classCode}}"},
         "subject":{"reference":"Patient/{{patient}}"},"serviceProvider":{"reference":"Organization/RGH"},
         "period":{"start":"{{Stamp(TimeSpan.FromHours(5))}}"},
         "location":[{"location":{"reference":"Location/{{ward}}"},"status":"completed","period":{"start":"{{Stamp(TimeSpan.FromHours(5))}}"} }
           {{(secondWard is null ? "" : $$$""",{"location":{"reference":"Location/{{{secondWard}}}"},"status":"active","period":{"start":"{{{Stamp(TimeSpan.FromHours(1))}}}"} }""")}}]}
        """;

    private async Task<(HttpStatusCode Status, OperationOutcome Outcome)> PostAsync(string path, string body, string mediaType = "application/fhir+json", HttpClient? client = null)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await (client ?? _http).PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, new FhirJsonDeserializer().Deserialize<OperationOutcome>(text));
    }

    private async Task<JsonElement?> PatientAsync(string id)
    {
        using var response = await _http.GetAsync(new Uri($"/api/patients/{id}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    [Fact]
    public async Task An_accepted_encounter_is_answered_after_the_broker_has_it_and_reaches_the_patient()
    {
        var encounter = Encounter("enc-http-1", "FHIR-P1", "in-progress", "IMP", "RGH-ICU", "RGH-CAR");

        using (var anonymous = new HttpClient { BaseAddress = _http.BaseAddress })
        {
            using var content = new StringContent(encounter, Encoding.UTF8, "application/fhir+json");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(new Uri("/fhir/r4/Encounter", UriKind.Relative), content)).StatusCode);
        }

        var (status, outcome) = await PostAsync("/fhir/r4/Encounter", encounter);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, Assert.Single(outcome.Issue).Severity);
        await Eventually.TrueAsync(async () => (await PatientAsync("FHIR-P1"))?.GetProperty("ward_id").GetString() == "RGH-CAR",
            TimeSpan.FromSeconds(30), async () => $"patient FHIR-P1 is {await PatientAsync("FHIR-P1")}");
        Assert.Equal("ADMITTED", (await PatientAsync("FHIR-P1"))!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_bundle_of_two_patients_is_split_by_patient_and_both_are_admitted()
    {
        var bundle = $$"""
            {"resourceType":"Bundle","type":"batch","entry":[
              {"resource":{{Encounter("enc-b-1", "FHIR-B1", "in-progress", "IMP", "RGH-SRG")}},"request":{"method":"PUT","url":"Encounter/enc-b-1"} },
              {"resource":{"resourceType":"Patient","id":"FHIR-B2"},"request":{"method":"PUT","url":"Patient/FHIR-B2"} },
              {"resource":{{Encounter("enc-b-2", "FHIR-B2", "in-progress", "IMP", "RGH-ORT")}},"request":{"method":"PUT","url":"Encounter/enc-b-2"} }]}
            """;

        var (status, outcome) = await PostAsync("/fhir/r4", bundle);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("2 patient(s)", Assert.Single(outcome.Issue).Diagnostics, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await PatientAsync("FHIR-B1"))?.GetProperty("ward_id").GetString() == "RGH-SRG"
                && (await PatientAsync("FHIR-B2"))?.GetProperty("ward_id").GetString() == "RGH-ORT",
            TimeSpan.FromSeconds(30), async () => $"FHIR-B1 {await PatientAsync("FHIR-B1")}, FHIR-B2 {await PatientAsync("FHIR-B2")}");
    }

    public static TheoryData<string, string, string, int, string> Invalid => new()
    {
        { "/fhir/r4/Encounter", "application/fhir+json", """{"resourceType":"Encounter","status":""", 400, "invalid_fhir" },
        { "/fhir/r4/Encounter", "application/fhir+json", """{"resourceType":"Encounter","status":"finished","bedside":true}""", 400, "invalid_fhir" },
        { "/fhir/r4/Encounter", "application/fhir+json", """{"resourceType":"Bundle","type":"batch"}""", 400, "unsupported_resource:Bundle" },
        { "/fhir/r4", "application/fhir+json", Encounter("e", "P", "in-progress", "IMP", "RGH-ICU"), 400, "unsupported_resource:Encounter" },
        { "/fhir/r4", "application/fhir+json", """{"resourceType":"Bundle","type":"searchset"}""", 422, "unsupported_bundle_type:searchset" },
        { "/fhir/r4/Encounter", "application/fhir+json", Encounter("e", "P", "finished", "AMB", "RGH-ICU"), 422, "unsupported_class:AMB" },
        { "/fhir/r4/Encounter", "application/fhir+json", Encounter("e", "P", "planned", "IMP", "RGH-ICU"), 422, "unsupported_status:planned" },
        { "/fhir/r4/Encounter", "application/fhir+json", Encounter("e", "P", "in-progress", "IMP", "NO-SUCH-WARD"), 422, "unknown_ward:ward_id" },
        { "/fhir/r4/Encounter", "application/fhir+json", Encounter("e", "P", "in-progress", "IMP", "RGH-ICU").Replace("Organization/RGH", "Organization/NOPE", StringComparison.Ordinal), 422, "unknown_hospital" },
        { "/fhir/r4/Encounter", "text/plain", Encounter("e", "P", "in-progress", "IMP", "RGH-ICU"), 415, "unsupported_media_type" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_input_answers_4xx_with_an_operation_outcome_naming_the_problem(string path, string mediaType, string body, int expectedStatus, string reason)
    {
        var (status, outcome) = await PostAsync(path, body, mediaType);

        Assert.Equal(expectedStatus, (int)status);
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Equal(reason, issue.Details?.Text);
        Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
    }

    [Fact]
    public async Task Every_shared_encounter_is_answered_over_http_with_an_operation_outcome()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "HealthcareOrleans.sln")))
        {
            root = root.Parent!;
        }

        var data = Path.Combine(root.FullName, "..", "shared", "data", "fhir-r4");
        var encounters = File.ReadLines(Path.Combine(data, "synthea-10-patients", "Encounter.000.ndjson")).Where(l => l.Length > 0)
            .Concat(Directory.GetFiles(Path.Combine(data, "microsoft-converter-expected", "encounters"), "*.json").Select(File.ReadAllText))
            .ToList();
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var encounter in encounters)
        {
            var (status, outcome) = await PostAsync("/fhir/r4/Encounter", encounter);
            var issue = Assert.Single(outcome.Issue);
            Assert.True(status == HttpStatusCode.OK ? issue.Severity == OperationOutcome.IssueSeverity.Information : (int)status is >= 400 and < 500, $"{(int)status} {issue.Details?.Text}");
            var key = $"{(int)status} {issue.Details?.Text?.Split(':')[0]}";
            answers[key] = answers.GetValueOrDefault(key) + 1;
        }

        output.WriteLine(string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}")));
        Assert.Equal(1_215 + 51, answers.Values.Sum());
        // None names a hospital of the default layout: Synthea's providers are Massachusetts organisations and the
        // converter's Encounters name none, so whatever maps is refused by Silver's layout check, never stored.
        Assert.DoesNotContain(answers.Keys, k => k.StartsWith("200", StringComparison.Ordinal));
        Assert.True(answers.GetValueOrDefault("422 unknown_hospital") + answers.GetValueOrDefault("422 missing_field") > 0, string.Join(", ", answers));
    }
}
