using System.Net;
using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Dashboard.Tests.Support;
using HealthcareOrleans.PatientFlow.Telemetry;
using HealthcareOrleans.Silo.Security;
using HealthcareOrleans.Silo.Telemetry;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HealthcareOrleans.Dashboard.Tests;

/// <summary>The HTTP surface of the real host: keys, CORS and the live feed.</summary>
[Collection(SiloHostCollection.Name)]
public sealed class HostSecurityTests(SiloHost host)
{
    [Fact]
    public async Task Every_api_route_answers_401_without_a_key_and_with_a_wrong_key()
    {
        var routes = host.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? string.Empty)
            .Where(p => p.StartsWith("/api", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains("/api/live", routes);
        Assert.Contains("/api/census", routes);

        using var anonymous = host.Client(withKey: false);
        using var wrong = host.Client(withKey: false);
        wrong.DefaultRequestHeaders.Add("X-Api-Key", SiloHost.ApiKey + "x");
        foreach (var route in routes)
        {
            var path = route.Replace("{patientId}", "P-1", StringComparison.Ordinal).Replace("{wardId}", "RGH-ED", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task The_live_feed_streams_snapshots_as_server_sent_events_with_the_key()
    {
        using var http = host.Client();
        using var response = await http.GetAsync(new Uri("/api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = new StringBuilder();
        while (await reader.ReadLineAsync() is { Length: > 0 } line)
        {
            first.AppendLine(line);
        }

        Assert.Contains("event: snapshot", first.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"census\":{\"beds\":290", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_origin_reads_get_no_cors_grant_unless_origins_are_configured()
    {
        using var http = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/census", UriKind.Relative));
        request.Headers.Add("Origin", "https://elsewhere.example");
        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_dashboard_files_are_served_with_a_strict_content_security_policy()
    {
        using var http = host.Client(withKey: false);
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Patient flow", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/lib/chart.js/chart.umd.min.js", UriKind.Relative))).StatusCode);
    }
}

public sealed class PseudonymTests
{
    private static readonly PatientPseudonyms Pseudonyms = new(Encoding.UTF8.GetBytes("a-test-key-of-enough-length"));

    [Fact]
    public void A_pseudonym_is_stable_keyed_and_never_the_id()
    {
        var other = new PatientPseudonyms(Encoding.UTF8.GetBytes("another-test-key-of-enough-length"));

        Assert.Equal(Pseudonyms.Of("P-1001"), Pseudonyms.Of("P-1001"));
        Assert.NotEqual(Pseudonyms.Of("P-1001"), Pseudonyms.Of("P-1002"));
        Assert.NotEqual(Pseudonyms.Of("P-1001"), other.Of("P-1001"));
        Assert.Matches("^p_[0-9a-f]{16}$", Pseudonyms.Of("P-1001"));
        Assert.DoesNotContain("1001", Pseudonyms.Of("P-1001"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_key_is_refused_with_what_to_set()
    {
        var error = Assert.Throws<ArgumentException>(() => new PatientPseudonyms(Encoding.UTF8.GetBytes("short")));
        Assert.Contains("Security:PseudonymKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_profile_generates_one_key_file_and_reads_it_again()
    {
        var directory = Directory.CreateTempSubdirectory("hc-pseudonym-").FullName;
        try
        {
            var first = PseudonymKey.Load(null, directory, mayGenerate: true).Of("P-7");
            var second = PseudonymKey.Load(null, directory, mayGenerate: true).Of("P-7");
            var file = Path.Combine(directory, PseudonymKey.FileName);

            Assert.Equal(first, second);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Outside_the_embedded_profile_a_missing_key_stops_the_start_with_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PseudonymKey.Load(" ", Path.GetTempPath(), mayGenerate: false));
        Assert.Contains("Security__PseudonymKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Exception while delivering to patient/P-1001 from ward/RGH-ED", "P-1001")]
    [InlineData("[patient/P-1001]", "P-1001")]
    [InlineData("target patient/P%2F1001, retry", "P%2F1001")]
    public void Grain_references_to_patients_are_pseudonymised_and_others_kept(string text, string id)
    {
        var scrubbed = new PhiScrubber(Pseudonyms).ScrubGrainReferences(text);

        Assert.DoesNotContain(id, scrubbed, StringComparison.Ordinal);
        Assert.Contains("patient/p_", scrubbed, StringComparison.Ordinal);
        Assert.Equal(text.Contains("ward/RGH-ED", StringComparison.Ordinal), scrubbed.Contains("ward/RGH-ED", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/patients/P-1001", "/api/patients/")]
    [InlineData("/api/patients/P-1001/history", "/history")]
    public void Patient_paths_are_pseudonymised(string path, string kept)
    {
        var scrubbed = new PhiScrubber(Pseudonyms).ScrubPath(path);

        Assert.DoesNotContain("P-1001", scrubbed, StringComparison.Ordinal);
        Assert.Contains(kept, scrubbed, StringComparison.Ordinal);
        Assert.Equal("/api/census", new PhiScrubber(Pseudonyms).ScrubPath("/api/census"));
    }
}

public sealed class InputLimitTests
{
    [Fact]
    public void A_deeply_nested_payload_is_refused_by_the_depth_limit_not_parsed_to_the_end()
    {
        var nested = new StringBuilder("{\"event_id\":\"e\",\"x\":");
        for (var i = 0; i < 10_000; i++)
        {
            nested.Append("{\"a\":");
        }

        var result = new PatientFlowDecoder().Decode(Encoding.UTF8.GetBytes(nested.ToString()), DateTimeOffset.UtcNow);

        Assert.False(result.IsAccepted);
        Assert.Equal(RejectionReasons.MalformedJson, RejectionReasons.CodeOf(result.RejectionReason!));
    }

    [Fact]
    public void An_oversize_payload_is_refused_on_its_length_alone()
    {
        var limits = DecodeLimits.Default;
        var result = new PatientFlowDecoder(limits).Decode(new byte[limits.MaxPayloadBytes + 1], DateTimeOffset.UtcNow);

        Assert.Equal(RejectionReasons.Oversize, result.RejectionReason);
    }
}
