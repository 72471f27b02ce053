using System.Diagnostics;
using HealthcareOrleans.Dashboard.Tests.Support;
using HealthcareOrleans.Grains.Telemetry;
using HealthcareOrleans.PatientFlow.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace HealthcareOrleans.Dashboard.Tests;

/// <summary>Traces, metrics and logs of the real host, read from in-memory exporters.</summary>
[Collection(SiloHostCollection.Name)]
public sealed class TelemetryTests(SiloHost host)
{
    private PatientPseudonyms Pseudonyms => host.Services.GetRequiredService<PatientPseudonyms>();

    [Fact]
    public async Task One_event_makes_one_connected_trace_from_the_partition_read_through_the_patient_grain_to_the_ward_grain()
    {
        var patientId = "TRACE-" + Guid.NewGuid().ToString("N")[..10];
        var pseudonym = Pseudonyms.Of(patientId);
        await host.ProduceAsync(patientId, Events.Admit("trace-" + patientId, patientId, "RGH-ORT", "RGH-ORT-B07"));

        Activity? ward = null;
        Activity? patient = null;
        await Eventually.TrueAsync(() =>
        {
            var spans = host.Spans.Snapshot();
            patient = spans.SingleOrDefault(s => s.OperationName == PipelineActivities.PatientApply && Equals(s.GetTagItem(PipelineActivities.PatientTag), pseudonym));
            ward = patient is null ? null : spans.FirstOrDefault(s => s.OperationName == PipelineActivities.WardApply && s.TraceId == patient.TraceId
                && Equals(s.GetTagItem("hc.ward"), "RGH-ORT"));
            return ward is not null;
        }, TimeSpan.FromSeconds(15), () => "the patient and ward spans of the event");

        var trace = host.Spans.Snapshot().Where(s => s.TraceId == patient!.TraceId).ToList();
        Assert.Equal("applied", patient!.GetTagItem("hc.outcome"));
        Assert.IsType<int>(patient.GetTagItem("messaging.destination.partition.id"));
        Assert.IsType<long>(patient.GetTagItem("messaging.kafka.offset"));

        // Connected: the root is the delivery of the partition read that carried the record (the stream hop carries no
        // trace context); the patient's span hangs below it through Orleans' spans of IPatientGrain.ApplyBatchAsync,
        // the ward's through those of IWardGrain.ApplyBatchAsync, the one call per ward for the whole read.
        var root = Assert.Single(trace, s => s.ParentSpanId == default);
        Assert.Equal(PipelineActivities.PartitionDeliver, root.OperationName);
        Assert.Equal(patient.GetTagItem("messaging.destination.partition.id"), root.GetTagItem("messaging.destination.partition.id"));
        Assert.InRange((long)patient.GetTagItem("messaging.kafka.offset")!, (long)root.GetTagItem("hc.offset.first")!, (long)root.GetTagItem("hc.offset.last")!);
        Assert.Contains(root.SpanId, Ancestors(patient, trace));
        Assert.Contains(root.SpanId, Ancestors(ward!, trace));
        Assert.Contains(trace, s => s.DisplayName == "IPatientGrain/ApplyBatchAsync" && s.Kind == ActivityKind.Client && s.ParentSpanId == root.SpanId);
        Assert.Contains(trace, s => s.DisplayName == "IWardGrain/ApplyBatchAsync" && s.Kind == ActivityKind.Client && s.ParentSpanId == root.SpanId);
        Assert.Single(trace, s => s.OperationName == PipelineActivities.PatientApply && Equals(s.GetTagItem(PipelineActivities.PatientTag), pseudonym));

        // PHI: no span of the trace (Orleans' grain ids included) names the patient in clear.
        Assert.DoesNotContain(trace, s => Mentions(s, patientId));
        Assert.Contains(trace, s => s.Tags.Any(t => t.Value is not null && t.Value.Contains("patient/" + pseudonym, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Metric_counters_equal_the_events_sent()
    {
        var applied = host.CounterValue("hc.events.applied");
        var rejectedUnknownWard = host.CounterValue("hc.events.rejected", p => HasTag(p, "reason", "unknown_ward"));
        var received = host.CounterValue("healthcareorleans.kafka.messages_received");
        var latencyCount = LatencyCount();
        var accounted = host.MessagesAccountedFor;

        var run = Guid.NewGuid().ToString("N")[..8];
        const int Good = 5;
        const int Bad = 3;
        for (var i = 0; i < Good; i++)
        {
            await host.ProduceAsync($"MET-{run}-{i}", Events.Arrival($"met-{run}-{i}", $"MET-{run}-{i}", "NCH-ED", "NCH"));
        }

        for (var i = 0; i < Bad; i++)
        {
            await host.ProduceAsync($"MET-{run}-X{i}", Events.Arrival($"met-{run}-x{i}", $"MET-{run}-X{i}", "NCH-NOWHERE", "NCH"));
        }

        await Eventually.TrueAsync(() => host.MessagesAccountedFor - accounted >= Good + Bad, TimeSpan.FromSeconds(15),
            () => $"the {Good + Bad} messages to be applied or rejected ({host.MessagesAccountedFor - accounted} so far)");

        Assert.Equal(Good, host.CounterValue("hc.events.applied") - applied);
        Assert.Equal(Bad, host.CounterValue("hc.events.rejected", p => HasTag(p, "reason", "unknown_ward")) - rejectedUnknownWard);
        Assert.Equal(Good + Bad, host.CounterValue("healthcareorleans.kafka.messages_received") - received);
        Assert.Equal(Good, LatencyCount() - latencyCount);
    }

    [Fact]
    public async Task A_rejected_event_is_logged_without_the_patient_id_in_clear()
    {
        var patientId = "PHI-" + Guid.NewGuid().ToString("N")[..10];
        var before = host.Logs.Lines.Count;
        var accounted = host.MessagesAccountedFor;
        await host.ProduceAsync(patientId, Events.Admit("phi-" + patientId, patientId, "RGH-NOWHERE", "RGH-NOWHERE-B1"));
        await Eventually.TrueAsync(() => host.MessagesAccountedFor > accounted && host.Logs.Lines.Skip(before).Any(IsTheRejection),
            TimeSpan.FromSeconds(15), () => "the rejection to be logged");

        var lines = host.Logs.Lines.Skip(before).ToList();
        Assert.Contains(lines, l => l.Source == "logger" && IsTheRejection(l));
        Assert.Contains(lines, l => l.Source == "otel" && IsTheRejection(l));
        Assert.DoesNotContain(lines, l => l.Mentions(patientId));
    }

    [Fact]
    public async Task The_metrics_endpoint_serves_prometheus_text_with_the_pipeline_counters_and_no_patient()
    {
        var patientId = "PROM-" + Guid.NewGuid().ToString("N")[..10];
        var accounted = host.MessagesAccountedFor;
        await host.ProduceAsync(patientId, Events.Arrival("prom-" + patientId, patientId, "RGH-ED"));
        await Eventually.TrueAsync(() => host.MessagesAccountedFor > accounted, TimeSpan.FromSeconds(15), () => "the event to be applied");
        using (var api = host.Client())
        {
            // A lookup by id puts the id into the request path: it must not reach a label or a span in clear.
            Assert.True((await api.GetAsync(new Uri("/api/patients/" + patientId, UriKind.Relative))).IsSuccessStatusCode);
        }

        using var http = host.Client(withKey: false);
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE hc_events_applied_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^hc_events_applied_total\{[^}]*\} [1-9]", text);
        Assert.Contains("hc_events_latency_milliseconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("healthcareorleans_kafka_consumer_lag", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.DoesNotContain(patientId, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(host.Spans.Snapshot(), s => Mentions(s, patientId));
    }

    private long LatencyCount()
    {
        lock (host.Metrics.SyncRoot)
        {
            host.Metrics.Clear();
            host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
            return host.Metrics.Snapshot().Where(m => m.Name == "hc.events.latency").SelectMany(m => m.MetricPoints).Sum(p => p.GetHistogramCount());
        }
    }

    private static bool IsTheRejection(CapturedLog line) =>
        line.Category.EndsWith("PatientGrain", StringComparison.Ordinal) && line.Mentions("quarantined") && line.Mentions("unknown_ward");

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Mentions(Activity span, string value) =>
        span.DisplayName.Contains(value, StringComparison.OrdinalIgnoreCase)
        || span.Tags.Any(t => t.Value is not null && t.Value.Contains(value, StringComparison.OrdinalIgnoreCase))
        || span.TagObjects.Any(t => t.Value?.ToString()?.Contains(value, StringComparison.OrdinalIgnoreCase) == true);

    private static HashSet<ActivitySpanId> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var ancestors = new HashSet<ActivitySpanId>();
        var current = span;
        while (current.ParentSpanId != default && byId.TryGetValue(current.ParentSpanId, out var parent))
        {
            ancestors.Add(parent.SpanId);
            current = parent;
        }

        return ancestors;
    }
}
