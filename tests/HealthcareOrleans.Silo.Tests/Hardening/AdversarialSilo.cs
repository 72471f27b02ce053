using System.Collections.Concurrent;
using Confluent.Kafka;

namespace HealthcareOrleans.Silo.Tests.Hardening;

/// <summary>
/// One silo process for the hardening tests, started from a temporary folder, flushing the lake every second, with
/// ASP.NET Core's request lines and Orleans' Information lines switched on: the lines that used to carry patient ids.
/// Every patient id a test sends is noted, so that one test can search the whole output for all of them.
/// </summary>
public sealed class AdversarialSilo : IAsyncLifetime
{
    private IProducer<string?, byte[]>? _producer;

    public SiloProcess Silo { get; private set; } = null!;

    public ConcurrentBag<string> PatientIdsSent { get; } = [];

    public async Task InitializeAsync()
    {
        Silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Lake__BronzeFlushInterval"] = "00:00:01",
            ["Lake__SilverFlushInterval"] = "00:00:01",
            ["Lake__GoldFlushInterval"] = "00:00:03",
            ["Patients__StateWriteDelay"] = "00:00:01",
            ["Logging__LogLevel__Orleans"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        _producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig
        {
            BootstrapServers = Silo.BrokerAddress,
            MessageMaxBytes = 3_000_000,
            LingerMs = 0,
        }).Build();
    }

    /// <summary>Sends one message and returns where the broker put it.</summary>
    public async Task<DeliveryResult<string?, byte[]>> ProduceAsync(string? key, byte[] payload, int? partition = null, string? patientId = null)
    {
        if ((patientId ?? key) is { } id)
        {
            PatientIdsSent.Add(id);
        }

        var message = new Message<string?, byte[]> { Key = key, Value = payload };
        return partition is { } p
            ? await _producer!.ProduceAsync(new TopicPartition("patient-flow", p), message)
            : await _producer!.ProduceAsync("patient-flow", message);
    }

    public async Task DisposeAsync()
    {
        _producer?.Dispose();
        await Silo.DisposeAsync();
    }
}
