using System.Text.Json;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// One answer of the silo's <c>/api/status</c>. The counts are the silos' latest reports, sent every 2 s, so
/// <see cref="ReportedAt"/> (the newest report's time) is when the counts were true, not when they were read.
/// </summary>
internal sealed record EngineStatusSample(long EventsApplied, long MessagesRejected, long MessagesSkipped, long Lag, int Partitions, DateTimeOffset? ReportedAt)
{
    public static EngineStatusSample Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var partitions = 0;
        DateTimeOffset? reportedAt = null;
        foreach (var silo in root.GetProperty("silos").EnumerateArray())
        {
            partitions += silo.GetProperty("partitions").GetArrayLength();
            var at = silo.GetProperty("reported_at").GetDateTimeOffset();
            reportedAt = reportedAt is null || at > reportedAt ? at : reportedAt;
        }

        return new EngineStatusSample(
            root.GetProperty("events_applied").GetInt64(),
            root.GetProperty("messages_rejected").GetInt64(),
            root.GetProperty("messages_skipped").GetInt64(),
            root.GetProperty("lag").GetInt64(),
            partitions,
            reportedAt);
    }
}
