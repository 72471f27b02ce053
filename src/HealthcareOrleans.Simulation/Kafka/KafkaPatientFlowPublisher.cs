using Confluent.Kafka;
using HealthcareOrleans.Simulation.Running;

namespace HealthcareOrleans.Simulation.Kafka;

/// <summary>
/// Publishes simulated messages to a Kafka topic, key = patient id, so a patient's events share a partition and keep
/// their order. Pacing (speed, rate, the wall-clock bound) comes from the simulator's stream; this class adds
/// delivery: messages count as published only when acknowledged, and the first delivery error ends the run.
/// </summary>
public sealed class KafkaPatientFlowPublisher : IDisposable
{
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(5);

    private readonly KafkaPublisherOptions _options;
    private readonly IProducer<string, byte[]> _producer;
    private readonly TimeProvider _clock;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public KafkaPatientFlowPublisher(KafkaPublisherOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _producer = new ProducerBuilder<string, byte[]>(options.BuildProducerConfig()).Build();
    }

    public string Topic => _options.Topic;

    public Task<SimulationRun> PublishAsync(PatientFlowSimulator simulator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        return PublishAsync(simulator.GenerateAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Publishes until the stream ends or <paramref name="cancellationToken"/> fires, then flushes. Cancellation is a
    /// normal stop: the result has <see cref="SimulationRun.Cancelled"/> set and counts what the broker acknowledged.
    /// </summary>
    /// <exception cref="KafkaDeliveryException">A message was rejected, or not acknowledged within the flush timeout.</exception>
    public async Task<SimulationRun> PublishAsync(IAsyncEnumerable<SimulatedMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tally = new SimulationTally();
        var delivery = new DeliveryOutcome(_options.Topic);
        var started = _clock.GetTimestamp();
        var cancelled = false;
        try
        {
            await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                delivery.ThrowIfFailed(tally);
                await ProduceAsync(message, tally, delivery, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        var inFlight = await Task.Run(() => _producer.Flush(_options.FlushTimeout), CancellationToken.None).ConfigureAwait(false);
        delivery.ThrowIfFailed(tally);
        if (inFlight > 0)
        {
            throw new KafkaDeliveryException(
                $"{inFlight} messages to topic '{_options.Topic}' were not acknowledged within {_options.FlushTimeout.TotalSeconds:0} s; check that the broker at '{_options.BootstrapServers}' is reachable.")
            {
                Delivered = tally.Messages,
            };
        }

        return tally.ToRun(_clock.GetElapsedTime(started), cancelled);
    }

    public void Dispose() => _producer.Dispose();

    private async ValueTask ProduceAsync(SimulatedMessage message, SimulationTally tally, DeliveryOutcome delivery, CancellationToken cancellationToken)
    {
        var kafkaMessage = new Message<string, byte[]> { Key = message.Key, Value = message.Value };
        while (true)
        {
            try
            {
                _producer.Produce(_options.Topic, kafkaMessage, report =>
                {
                    if (report.Error.IsError)
                    {
                        delivery.Fail(report.Error);
                    }
                    else
                    {
                        tally.Record(message);
                    }
                });
                return;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                // The local queue is full: the broker is slower than the feed. Wait for acknowledgements to drain it.
                await Task.Delay(QueueFullBackoff, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (ProduceException<string, byte[]> ex)
            {
                throw new KafkaDeliveryException($"Producing to topic '{_options.Topic}' failed: {ex.Error.Reason}", ex)
                {
                    Delivered = tally.Messages,
                };
            }
        }
    }

    /// <summary>The first delivery error, reported on the producer's thread and surfaced on the caller's.</summary>
    private sealed class DeliveryOutcome(string topic)
    {
        private Error? _error;

        public void Fail(Error error) => Interlocked.CompareExchange(ref _error, error, null);

        public void ThrowIfFailed(SimulationTally tally)
        {
            if (Volatile.Read(ref _error) is { } error)
            {
                throw new KafkaDeliveryException($"The broker did not accept a message for topic '{topic}': {error.Code} {error.Reason}")
                {
                    Delivered = tally.Messages,
                };
            }
        }
    }
}
