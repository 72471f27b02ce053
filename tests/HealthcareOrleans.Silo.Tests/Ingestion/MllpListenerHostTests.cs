using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.Silo.Ingestion;
using HealthcareOrleans.Silo.Ingestion.Mllp;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Tests.Ingestion;

/// <summary>The MLLP listener's binding and TLS, on 127.0.0.1 with the embedded broker behind it.</summary>
public sealed class MllpListenerHostTests : IAsyncLifetime
{
    private EmbeddedKafkaBroker? _broker;
    private KafkaBrokerIngress? _ingress;

    public async Task InitializeAsync() => _broker = await EmbeddedKafkaBroker.StartAsync();

    public async Task DisposeAsync()
    {
        _ingress?.Dispose();
        await _broker!.DisposeAsync();
    }

    private MllpListener Listener(Hl7Options options)
    {
        _ingress ??= BrokerIngressTests.Ingress(_broker!.BootstrapServers);
        var intake = new Hl7MessageIntake(
            new PatientFlowDecoder(), new SilverCleansing(new HospitalDirectory(HospitalLayout.Default)), _ingress, Options.Create(options), TimeProvider.System);
        return new MllpListener(intake, Options.Create(options), NullLogger<MllpListener>.Instance);
    }

    private static byte[] Admit() => Encoding.UTF8.GetBytes(
        $"MSH|^~\\&|PAS|RGH|ENGINE|RGH|{DateTime.UtcNow.AddMinutes(-5):yyyyMMddHHmmss}+0000||ADT^A01|TLS-1|P|2.5.1\r"
        + "PID|1||P-9^^^RGH^MR\rPV1|1|I|RGH-AMU^^RGH-AMU-B01^RGH\r");

    [Fact]
    public async Task With_a_certificate_the_listener_speaks_TLS_and_a_plain_sender_gets_no_answer()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var folder = Directory.CreateTempSubdirectory("hc-mllp-tls-").FullName;
        var pfx = Path.Combine(folder, "listener.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "secret"));
        using var listener = Listener(new Hl7Options { MllpPort = 0, CertificatePath = pfx, CertificatePassword = "secret" });
        await listener.StartAsync(default);
        try
        {
            using var trusted = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
            await using (var client = await MllpClient.ConnectAsync("127.0.0.1", listener.Endpoint!.Port, tls: true, trusted))
            {
                Assert.Equal(new Hl7Ack(AckCodes.Accept, "TLS-1", null), await client.SendAsync(Admit(), TimeSpan.FromSeconds(30)));
            }

            await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(async () =>
                await MllpClient.ConnectAsync("127.0.0.1", listener.Endpoint.Port, tls: true));
            await using var plain = await MllpClient.ConnectAsync("127.0.0.1", listener.Endpoint.Port);
            await Assert.ThrowsAnyAsync<Exception>(() => plain.SendAsync(Admit(), TimeSpan.FromSeconds(15)));
        }
        finally
        {
            await listener.StopAsync(default);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_embedded_default_port_falls_back_to_a_free_one_when_taken_and_a_configured_port_that_is_taken_fails_the_start()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;

        using var embedded = Listener(new Hl7Options { MllpPort = taken, FallBackToFreePort = true });
        await embedded.StartAsync(default);
        Assert.NotEqual(taken, embedded.Endpoint!.Port);
        await using (var client = await MllpClient.ConnectAsync("127.0.0.1", embedded.Endpoint.Port))
        {
            Assert.Equal(AckCodes.Accept, (await client.SendAsync(Admit(), TimeSpan.FromSeconds(30))).Code);
        }

        await embedded.StopAsync(default);

        using var configured = Listener(new Hl7Options { MllpPort = taken });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => configured.StartAsync(default));
        Assert.Contains($"Hl7:MllpPort {taken}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_port_the_listener_stays_off()
    {
        using var listener = Listener(new Hl7Options());
        await listener.StartAsync(default);

        Assert.Null(listener.Endpoint);
        await listener.StopAsync(default);
    }
}
