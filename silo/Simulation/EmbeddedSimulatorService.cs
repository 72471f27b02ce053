using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Kafka;
using HealthcareOrleans.Silo.Configuration;

namespace HealthcareOrleans.Silo.Simulation;

/// <summary>
/// The embedded profile's own producer: a simulated hospital publishing to the broker through Kafka, exactly as
/// an external producer would, so the whole path broker → stream → grains runs from the first second.
/// </summary>
public sealed partial class EmbeddedSimulatorService(
    KafkaPublisherOptions publisher,
    SimulationOptions simulation,
    IHostApplicationLifetime lifetime,
    ILogger<EmbeddedSimulatorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The stream receivers start with the silo; producing before then would only queue in the broker.
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        var simulator = new PatientFlowSimulator(simulation);
        var start = simulator.ResolveStart();
        LogStarting(logger, start, simulation.Speed, simulation.Rate, publisher.BootstrapServers);
        try
        {
            using var kafka = new KafkaPatientFlowPublisher(publisher);
            var run = await kafka.PublishAsync(simulator, stoppingToken);
            LogFinished(logger, run.Messages, run.MessagesPerSecond);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator publishing from simulated time {Start:o} (speed {Speed}×, rate limit {Rate}/s) to {Broker}")]
    private static partial void LogStarting(ILogger logger, DateTimeOffset start, double speed, double rate, string broker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator finished: {Messages} messages at {Rate:F0}/s")]
    private static partial void LogFinished(ILogger logger, long messages, double rate);

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulator stopped on an error; the engine keeps running")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
