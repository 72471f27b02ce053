using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.Lake.Tests.Infrastructure;

namespace HealthcareOrleans.Lake.Tests;

[Collection(LakeStorageCollection.Name)]
public sealed class ColumnTypeRoundTripTests(AzuriteFixture azurite) : StorageTestBase(azurite)
{
    internal static readonly DeltaSchema AllTypes = new(
        DeltaField.String("s"),
        DeltaField.Integer("i"),
        DeltaField.Long("l"),
        DeltaField.Double("d"),
        DeltaField.Boolean("b"),
        DeltaField.Decimal("m", 12, 3),
        DeltaField.Date("dt"),
        DeltaField.Timestamp("ts"));

    internal static DeltaBatch AllTypesBatch() => new(
        DeltaColumn.String("s", ["ward A", null, "Ünïcødé ✓", ""]),
        DeltaColumn.Integer("i", [int.MinValue, null, 0, int.MaxValue]),
        DeltaColumn.Long("l", [long.MinValue, null, 42, long.MaxValue]),
        DeltaColumn.Double("d", [-1.5, null, 0.1, double.MaxValue]),
        DeltaColumn.Boolean("b", [true, null, false, true]),
        DeltaColumn.Decimal("m", 12, 3, [-123456789.123m, null, 0.001m, 999999999.999m]),
        DeltaColumn.Date("dt", [new DateOnly(1900, 1, 1), null, new DateOnly(2026, 11, 25), new DateOnly(9999, 12, 31)]),
        DeltaColumn.Timestamp("ts", [
            new DateTimeOffset(2026, 11, 25, 13, 45, 7, TimeSpan.FromHours(2)).AddTicks(1230),
            null,
            DateTimeOffset.UnixEpoch,
            new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(9_999_990)]));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_pipeline_column_type_and_its_null_reads_back_as_written(string kind)
    {
        var storage = await StorageAsync(kind);
        var table = await DeltaTable.CreateAsync(storage, "silver/all_types", new DeltaTableDefinition { Schema = AllTypes });
        await table.AppendAsync(AllTypesBatch());

        var reopened = await DeltaTable.OpenAsync(storage, "silver/all_types");
        var read = await reopened.ReadAsync();

        var expected = AllTypesBatch();
        Assert.Equal(4, read.RowCount);
        Assert.Equal(new string?[] { "ward A", null, "Ünïcødé ✓", "" }.AsEnumerable(), read.Column<string?>("s").AsEnumerable());
        Assert.Equal(expected.Column<int?>("i"), read.Column<int?>("i"));
        Assert.Equal(expected.Column<long?>("l"), read.Column<long?>("l"));
        Assert.Equal(expected.Column<double?>("d"), read.Column<double?>("d"));
        Assert.Equal(expected.Column<bool?>("b"), read.Column<bool?>("b"));
        Assert.Equal(expected.Column<decimal?>("m"), read.Column<decimal?>("m"));
        Assert.Equal(expected.Column<DateOnly?>("dt"), read.Column<DateOnly?>("dt"));
        // Instants survive to the microsecond; the offset is normalised to UTC.
        Assert.Equal(expected.Column<DateTimeOffset?>("ts"), read.Column<DateTimeOffset?>("ts"));
        Assert.All(read.Column<DateTimeOffset?>("ts").Where(t => t is not null), t => Assert.Equal(TimeSpan.Zero, t!.Value.Offset));
    }

    [Fact]
    public async Task Row_view_and_dictionary_rows_give_the_same_values_as_the_columns()
    {
        var storage = await StorageAsync("local");
        var table = await DeltaTable.CreateAsync(storage, "t", new DeltaTableDefinition { Schema = AllTypes });
        var rows = new[]
        {
            new Dictionary<string, object?> { ["s"] = "x", ["i"] = 1, ["l"] = 2L, ["ts"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        };
        await table.AppendAsync(DeltaBatch.FromRows(AllTypes, rows));

        var row = (await table.ReadAsync()).Rows.Single();
        Assert.Equal("x", row["s"]);
        Assert.Equal(2L, row.Get<long?>("l"));
        Assert.Null(row["m"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), row["ts"]);
    }
}
