using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Confluent.Kafka;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HealthcareOrleans.Silo.Tests;

/// <summary>The real silo host on the embedded profile (simulator off), driven over HTTP like a user would.</summary>
[Collection(SiloHostCollection.Name)]
public sealed class SiloHostTests : IAsyncLifetime
{
    private const string ApiKey = "test-key-for-the-host";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hc-silo-").FullName;
    private WebApplicationFactory<Program>? _factory;

    public Task InitializeAsync()
    {
        // The host reads its settings before it is built, so they go in as environment variables.
        Environment.SetEnvironmentVariable("HC_DATA_DIR", _dataDirectory);
        Environment.SetEnvironmentVariable("HC_API_KEY", ApiKey);
        Environment.SetEnvironmentVariable("Simulator__Enabled", "false");
        Environment.SetEnvironmentVariable("Orleans__SiloPort", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Orleans__GatewayPort", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        _factory = new WebApplicationFactory<Program>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task An_event_produced_to_the_embedded_broker_shows_up_through_the_api_only_with_the_key()
    {
        var http = _factory!.CreateClient();
        var broker = _factory.Services.GetRequiredService<EmbeddedKafkaBroker>();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            await producer.ProduceAsync("patient-flow", new Message<string, string>
            {
                Key = "HOST-P1",
                Value = $$"""{"event_id":"host-1","event_type":"ADMIT","occurred_at":"{{at}}","hospital_id":"RGH","patient_id":"HOST-P1","ward_id":"RGH-CAR","bed_id":"RGH-CAR-B04","schema_version":1}""",
            });
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/patients/HOST-P1", UriKind.Relative))).StatusCode);
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);

        JsonElement patient = default;
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var response = await http.GetAsync(new Uri("/api/patients/HOST-P1", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                patient = await response.Content.ReadFromJsonAsync<JsonElement>();
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal("ADMITTED", patient.GetProperty("status").GetString());
        Assert.Equal("RGH-CAR", patient.GetProperty("ward_id").GetString());

        var census = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/census", UriKind.Relative));
        Assert.Equal(14, census.GetProperty("wards").GetArrayLength());
        Assert.Equal(290, census.GetProperty("beds").GetInt32());
        var cardiology = census.GetProperty("wards").EnumerateArray().Single(w => w.GetProperty("ward_id").GetString() == "RGH-CAR");
        Assert.Equal(1, cardiology.GetProperty("occupied").GetInt32());

        var ward = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/wards/rgh-car", UriKind.Relative));
        Assert.Equal("HOST-P1", ward.GetProperty("occupants")[0].GetProperty("patient_id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/api/wards/NOPE", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync(new Uri("/healthz/ready", UriKind.Relative))).StatusCode);
    }
}
