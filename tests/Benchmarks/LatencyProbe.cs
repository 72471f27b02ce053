using System.Diagnostics;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Measures broker append → state visible for single events sent in between the load: each probe is the ARRIVAL of
/// a patient of its own, produced alone (no linger), then read through the Orleans gateway with
/// <see cref="IPatientGrain.GetAsync"/> until the patient exists. The clock starts just before the produce call, so the
/// figure includes the producer's send and the broker append. Reads repeat every ~1 ms for the first 20 ms, every 5 ms
/// up to 200 ms and every 25 ms after that: that bounds the error (about one interval) while keeping the reads a small
/// load next to the events. Probes start on a fixed schedule whatever the earlier ones are doing, so a stall shows up
/// in the figures instead of delaying the next probe.
/// </summary>
internal sealed class LatencyProbe(IProducer<string, byte[]> producer, IGrainFactory grains, string runId) : IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    private readonly HospitalDefinition _hospital = HospitalLayout.Default.Hospitals[0];
    private int _next;

    public static LatencyProbe Create(string bootstrapServers, IGrainFactory grains)
    {
        var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 0, SocketNagleDisable = true }).Build();
        return new LatencyProbe(producer, grains, Guid.NewGuid().ToString("N")[..8]);
    }

    /// <summary>The probe event of patient <paramref name="n"/>: an ARRIVAL that the Silver rules accept.</summary>
    private WorkloadMessage Message(int n)
    {
        var patientId = $"PROBE-{runId}-{n:D6}";
        var arrival = new PatientFlowEvent(
            $"{patientId}-arrival", PatientFlowEventType.Arrival, DateTimeOffset.UtcNow, _hospital.HospitalId, patientId,
            $"{patientId}-E1", WardId: null, FromWardId: null, BedId: null, Department: null, Acuity: 3, Patient: null, SchemaVersion: 1);
        return new WorkloadMessage(patientId, PatientFlowEncoder.Encode(arrival));
    }

    /// <summary>Probes every <paramref name="interval"/> for <paramref name="duration"/>; returns each probe's latency in ms (∞ when never visible).</summary>
    public async Task<List<double>> RunAsync(TimeSpan interval, TimeSpan duration)
    {
        var probes = new List<Task<double>>();
        var watch = Stopwatch.StartNew();
        for (var k = 0; watch.Elapsed < duration; k++)
        {
            var dueAt = interval * k;
            if (dueAt > watch.Elapsed)
            {
                await Task.Delay(dueAt - watch.Elapsed);
            }

            probes.Add(ProbeAsync(Interlocked.Increment(ref _next)));
        }

        return [.. await Task.WhenAll(probes)];
    }

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
    }

    private async Task<double> ProbeAsync(int n)
    {
        var message = Message(n);
        var patient = grains.GetGrain<IPatientGrain>(message.Key);
        var sentAt = Stopwatch.GetTimestamp();
        producer.Produce(PatientFlowStreams.DefaultTopic, new Message<string, byte[]> { Key = message.Key, Value = message.Value });
        while (true)
        {
            if (await patient.GetAsync() is not null)
            {
                return Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
            }

            var waited = Stopwatch.GetElapsedTime(sentAt);
            if (waited > GiveUpAfter)
            {
                return double.PositiveInfinity;
            }

            await Task.Delay(waited.TotalMilliseconds switch
            {
                < 20 => TimeSpan.FromMilliseconds(1),
                < 200 => TimeSpan.FromMilliseconds(5),
                _ => TimeSpan.FromMilliseconds(25),
            });
        }
    }
}
