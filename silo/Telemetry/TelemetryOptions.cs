namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>Section <c>Telemetry</c>. Exporters themselves follow the standard variables (see <see cref="PatientFlowTelemetry"/>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The <c>service.name</c> resource attribute (<c>OTEL_SERVICE_NAME</c> overrides it).</summary>
    public string ServiceName { get; set; } = "healthcare-orleans-silo";

    /// <summary>
    /// Record traces. Defaults to on when a trace exporter is configured and off otherwise: a span per event costs
    /// allocations on the hot path that nobody would read.
    /// </summary>
    public bool? TracingEnabled { get; set; }

    /// <summary>Share of new traces recorded (0–1); a trace started upstream keeps its own sampling decision.</summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}
