using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Telemetry;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;

namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>Every meter and activity source the silo exports, in one place so operators can see what to expect.</summary>
public static class TelemetrySignals
{
    /// <summary>Meter of the lake: Bronze/Silver/Gold flush duration and rows per table, Delta commit latency.</summary>
    public const string LakeMeter = "HealthcareOrleans.Lake";

    /// <summary>Meter of the warehouse loader: load duration and rows per table.</summary>
    public const string WarehouseMeter = "HealthcareOrleans.Warehouse";

    /// <summary>Orleans' own meter: grain activations (<c>orleans-grains</c>, <c>orleans-catalog-activations</c>), messaging, streams.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Orleans' grain-call spans for application interfaces; needed for the trace to cross grain calls. Its sibling
    /// "Microsoft.Orleans.Runtime" (membership, directory, timers, stream plumbing) is left out: a span for every
    /// system call would cost more than it tells, and its span names cannot be told apart from ours in a sampler.
    /// </summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    public static readonly IReadOnlyList<string> Meters =
    [
        PipelineCounters.MeterName,
        KafkaStreamInstruments.MeterName,
        LakeMeter,
        WarehouseMeter,
        OrleansMeter,
        "System.Runtime",
    ];

    /// <summary>The lake and the warehouse name their flush, commit and load spans after their meters.</summary>
    public static readonly IReadOnlyList<string> Sources =
    [
        PipelineActivities.SourceName,
        LakeMeter,
        WarehouseMeter,
        OrleansApplicationSource,
    ];
}
