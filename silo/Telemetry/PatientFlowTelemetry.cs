using System.Diagnostics.Metrics;
using Azure.Monitor.OpenTelemetry.Exporter;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Telemetry;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Silo.Security;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>
/// OpenTelemetry for the silo: metrics always (served as Prometheus text on <c>/metrics</c>), traces when an exporter
/// wants them, logs through the same pipeline. Exporters are chosen by the standard variables:
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (plus the other <c>OTEL_EXPORTER_OTLP_*</c>) for an OpenTelemetry collector,
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> for Azure Monitor; both may be set.
/// </summary>
public static class PatientFlowTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string AzureMonitorVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string MetricsPath = "/metrics";

    /// <summary>Broker append → state applied, in ms: fine steps where the 20 ms goal is judged, coarse ones for backlogs.</summary>
    private static readonly double[] LatencyBucketsMs = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000];

    /// <summary>Flushes, commits and loads, in ms or s as the lake and warehouse report them.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public static WebApplicationBuilder AddPatientFlowTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var section = configuration.GetSection(TelemetryOptions.Section);
        builder.Services.AddOptions<TelemetryOptions>().Bind(section).ValidateOnStart();
        // The exporters, the sampler and whether to trace at all are chosen while the services are composed, before
        // any option can be resolved: read the same section once for that.
        var options = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var azureMonitor = configuration[AzureMonitorVariable] is { Length: > 0 } connectionString ? connectionString : null;
        var tracing = options.TracingEnabled ?? (otlp || azureMonitor is not null);

        var engine = EngineSettings.From(configuration);
        var pseudonyms = PseudonymKey.Load(configuration[PseudonymKey.ConfigurationKey], engine.DataDirectory, mayGenerate: engine.Profile == EngineProfile.Embedded);
        var scrubber = new PhiScrubber(pseudonyms);
        builder.Services.AddSingleton(pseudonyms);
        builder.Services.AddSingleton(scrubber);
        ScrubConsoleLogs(builder.Services, scrubber);

        // Orleans hands the trace context across grain calls (patient → ward) only with its propagation filters.
        // AddOrleans applies every configure delegate to the one silo, so this composes with the host's UseOrleans.
        builder.Services.AddOrleans(silo => silo.AddActivityPropagation());

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName, serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("deployment.profile", engine.Profile.ToString().ToLowerInvariant())]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. TelemetrySignals.Meters]);
                metrics.AddAspNetCoreInstrumentation();
                metrics.AddView(instrument => instrument switch
                {
                    { Meter.Name: PipelineCounters.MeterName, Name: "hc.events.latency" or "hc.stage.fetched" or "hc.stage.delivering" or "hc.stage.wards_applied" } => new ExplicitBucketHistogramConfiguration { Boundaries = LatencyBucketsMs },
                    Histogram<double> or Histogram<long> when instrument.Meter.Name is TelemetrySignals.LakeMeter or TelemetrySignals.WarehouseMeter
                        => new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets },
                    _ => null,
                });
                metrics.AddPrometheusExporter();
                if (azureMonitor is not null)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azureMonitor);
                }
            })
            .WithLogging(
                logging =>
                {
                    // First, so the exporters below only ever see scrubbed records.
                    logging.AddProcessor(new PhiLogProcessor(scrubber));
                    if (azureMonitor is not null)
                    {
                        logging.AddAzureMonitorLogExporter(o => o.ConnectionString = azureMonitor);
                    }
                },
                logOptions =>
                {
                    logOptions.IncludeFormattedMessage = true;
                    logOptions.IncludeScopes = true;
                });

        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(options.TraceSampleRatio, 0, 1))));
                traces.AddSource([.. TelemetrySignals.Sources]);
                traces.AddAspNetCoreInstrumentation(aspNet =>
                {
                    // Scrapes and the dashboard's one-per-second feed would drown the traces that matter.
                    aspNet.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath)
                        && !context.Request.Path.StartsWithSegments(Dashboard.DashboardEndpoints.LivePath)
                        && !context.Request.Path.StartsWithSegments("/healthz");
                    aspNet.RecordException = false;
                });
                // First, so the exporters below only ever see scrubbed spans.
                traces.AddProcessor(new PhiActivityProcessor(scrubber));
                if (azureMonitor is not null)
                {
                    traces.AddAzureMonitorTraceExporter(o => o.ConnectionString = azureMonitor);
                }
            });
        }

        if (otlp)
        {
            // Every signal to the collector named by OTEL_EXPORTER_OTLP_ENDPOINT (protocol, headers from OTEL_EXPORTER_OTLP_*).
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Puts the console provider behind the PHI scrubber (one is registered by default).</summary>
    private static void ScrubConsoleLogs(IServiceCollection services, PhiScrubber scrubber)
    {
        var consoleProviders = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList();
        foreach (var descriptor in consoleProviders)
        {
            services.Remove(descriptor);
        }

        if (consoleProviders.Count > 0)
        {
            services.AddSingleton<ILoggerProvider>(sp => new PhiScrubbingLoggerProvider(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp), scrubber));
        }
    }

    /// <summary>Prometheus text format on <c>/metrics</c>; ask for a key there with <c>Security:ProtectMetrics</c>.</summary>
    public static WebApplication MapPatientFlowTelemetry(this WebApplication app)
    {
        // Scrapers GET (and probe with HEAD); any other method is refused before the exporter sees it.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(MetricsPath) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return;
            }

            await next(context);
        });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
