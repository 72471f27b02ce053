using System.Globalization;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// Event Hubs names a hub's partitions "0" to "n-1" (the partition id is the index, as the service documents and
/// <c>GetPartitionIdsAsync</c> returns). Bronze, the partition streams and the dashboards key partitions by number, so
/// an id that is not a plain non-negative integer is refused rather than mapped to an invented number.
/// </summary>
public static class PartitionNumbers
{
    public static int Parse(string partitionId)
    {
        if (string.IsNullOrEmpty(partitionId)
            || partitionId.Length > 1 && partitionId[0] == '0'
            || !int.TryParse(partitionId, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException(
                $"Event Hubs partition id '{partitionId}' is not a partition number. Event Hubs names partitions \"0\" to \"n-1\"; " +
                $"set {Options.EventHubsIngestionOptions.SectionName}:PartitionCount, or list only such ids in {Options.EventHubsIngestionOptions.SectionName}:PartitionIds.");
        }

        return number;
    }

    /// <summary>Every id mapped, refusing duplicates.</summary>
    public static IReadOnlyDictionary<string, int> Parse(IReadOnlyList<string> partitionIds)
    {
        var map = new Dictionary<string, int>(partitionIds.Count, StringComparer.Ordinal);
        foreach (var id in partitionIds)
        {
            if (!map.TryAdd(id, Parse(id)))
            {
                throw new FormatException($"Event Hubs partition id '{id}' is listed twice in {Options.EventHubsIngestionOptions.SectionName}:PartitionIds.");
            }
        }

        return map;
    }
}
