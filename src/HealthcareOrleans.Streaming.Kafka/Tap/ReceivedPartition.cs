using System.Globalization;

namespace HealthcareOrleans.Streaming.Kafka.Tap;

/// <summary>
/// One partition of one log incarnation. Offsets only identify a message together with <see cref="SourceId"/>: a broker
/// that lost its log (the embedded broker at every start, a re-created topic) reuses them for different messages.
/// </summary>
/// <param name="SourceId">Names the log incarnation (<c>KafkaStreamOptions.SourceId</c>).</param>
public readonly record struct ReceivedPartition(string SourceId, string Topic, int Partition)
{
    /// <summary><c>&lt;source&gt;/&lt;topic&gt;/&lt;partition&gt;</c>: stable, unique per partition of a log, usable as a Delta txn appId.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SourceId}/{Topic}/{Partition}");
}
