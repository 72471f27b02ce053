using System.Text;
using HealthcareOrleans.Streaming.EventHubs.Testing;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

public static class HubEvents
{
    /// <summary>Appends <paramref name="count"/> patient-flow events with a JSON body each, keyed as a producer keys them.</summary>
    public static void AppendEvents(this InMemoryHubPartition partition, int count, Func<long, string> partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(partitionKey);
        for (var i = 0; i < count; i++)
        {
            long next = partition.Count;
            var key = partitionKey(next);
            var body = $$"""{"event_id":"eh-{{partition.Partition}}-{{next}}","event_type":"UPDATE","patient_id":"{{key}}","occurred_at":"2026-12-01T08:00:00+00:00"}""";
            partition.Append(key, Encoding.UTF8.GetBytes(body));
        }
    }
}
