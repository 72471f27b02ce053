using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace HealthcareOrleans.Cluster.Tests.Support;

/// <summary>
/// HL7 v2.5.1 ADT messages for the default hospital: each patient arrives in the ED (A04), is admitted (A01),
/// transferred (A02) and discharged (A03), a minute apart, in the past. Control ids (MSH-10) are unique per feed.
/// </summary>
public sealed class AdtFeed(string name, DateTimeOffset start)
{
    private int _sequence;

    public static string ControlIdOf(byte[] message)
    {
        var text = Encoding.UTF8.GetString(message);
        var end = text.IndexOfAny(['\r', '\n']);
        var fields = (end < 0 ? text : text[..end]).Split('|');
        return fields.Length > 9 && fields[0] == "MSH" ? fields[9] : string.Empty;
    }

    public static string PatientIdOf(int patient) => $"RGH:{PatientNumber(patient)}";

    /// <summary>The four messages of one patient's stay, in order.</summary>
    public IEnumerable<byte[]> Stay(int patient)
    {
        var at = start.AddMinutes(patient % 600);
        yield return Message("A04", patient, at, "RGH-ED^^^RGH", null);
        yield return Message("A01", patient, at.AddMinutes(1), $"RGH-AMU^^RGH-AMU-B{patient % 20:00}^RGH", "RGH-ED");
        yield return Message("A02", patient, at.AddMinutes(2), $"RGH-CAR^^RGH-CAR-B{patient % 15:00}^RGH", "RGH-AMU");
        yield return Message("A03", patient, at.AddMinutes(3), "RGH-CAR^^^RGH", null);
    }

    public byte[] Message(string trigger, int patient, DateTimeOffset at, string location, string? fromWard, string messageType = "ADT")
    {
        var control = $"{name}-{Interlocked.Increment(ref _sequence)}";
        var when = at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        var text = $"MSH|^~\\&|PAS|RGH|ENGINE|RGH|{when}||{messageType}^{trigger}|{control}|P|2.5.1\r"
            + $"EVN|{trigger}|{when}\r"
            + $"PID|1||{PatientNumber(patient)}^^^RGH^MR||DOE^JANE||19580630|F\r"
            + $"MRG|{PatientNumber(patient + 1)}^^^RGH^MR\r"
            + $"PV1|1|I|{location}|||{fromWard}|||||||||||||V-{name}-{patient}\r";
        return Encoding.UTF8.GetBytes(text);
    }

    private static string PatientNumber(int patient) => $"MLLP-{patient:00000}";
}

/// <summary>Everything the topic holds, read straight from the broker.</summary>
public static class BrokerLog
{
    public sealed record Entry(int Partition, long Offset, string? Key, byte[] Value);

    public static List<Entry> ReadAll(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "mllp-test-reader" }).Build();
        var ends = Enumerable.Range(0, partitions).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value);
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        List<Entry> entries = [];
        while (entries.Count < ends.Values.Sum() && consumer.Consume(TimeSpan.FromSeconds(10)) is { } record)
        {
            entries.Add(new Entry(record.Partition.Value, record.Offset.Value, record.Message.Key, record.Message.Value));
        }

        return entries;
    }
}
