using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Tests.Infrastructure;

/// <summary>Small schemas and batches the tests share.</summary>
internal static class Tables
{
    public static DeltaSchema Events { get; } = new(
        DeltaField.Long("id", nullable: false),
        DeltaField.String("ward"),
        DeltaField.Date("day"));

    public static DeltaTableDefinition EventsByDay(IReadOnlyDictionary<string, string>? properties = null) => new()
    {
        Schema = Events,
        PartitionColumns = ["day"],
        Properties = properties ?? new Dictionary<string, string>(),
    };

    public static DeltaTableDefinition EventsUnpartitioned(IReadOnlyDictionary<string, string>? properties = null) => new()
    {
        Schema = Events,
        Properties = properties ?? new Dictionary<string, string>(),
    };

    public static DeltaBatch EventBatch(long firstId, int count, DateOnly? day = null, string ward = "W1")
    {
        var ids = new long?[count];
        var wards = new string?[count];
        var days = new DateOnly?[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = firstId + i;
            wards[i] = ward;
            days[i] = day ?? new DateOnly(2026, 11, 25);
        }

        return new DeltaBatch(DeltaColumn.Long("id", ids), DeltaColumn.String("ward", wards), DeltaColumn.Date("day", days));
    }

    public static long[] Ids(DeltaBatch batch) => batch.Column<long?>("id").Select(v => v!.Value).Order().ToArray();
}
