using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Lake.Tests.Infrastructure;

namespace HealthcareOrleans.Lake.Tests;

public sealed class SchemaEnforcementTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task A_batch_with_the_wrong_type_is_rejected_naming_the_column()
    {
        var table = await CreateAsync();
        var batch = new DeltaBatch(DeltaColumn.String("id", ["1"]), DeltaColumn.String("ward", ["W"]), DeltaColumn.Date("day", [new DateOnly(2026, 1, 1)]));

        var error = await Assert.ThrowsAsync<DeltaSchemaException>(() => table.AppendAsync(batch));
        Assert.Contains("'id'", error.Message);
        Assert.Contains("long", error.Message);
        Assert.Equal(0, table.Version);
    }

    [Fact]
    public async Task A_null_in_a_non_nullable_column_is_rejected_naming_the_column_and_row()
    {
        var table = await CreateAsync();
        var batch = new DeltaBatch(DeltaColumn.Long("id", [1, null]), DeltaColumn.String("ward", ["W", "W"]), DeltaColumn.Date("day", [new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 1)]));

        var error = await Assert.ThrowsAsync<DeltaSchemaException>(() => table.AppendAsync(batch));
        Assert.Contains("'id' is NOT NULL but row 1", error.Message);
    }

    [Fact]
    public async Task An_unknown_column_is_rejected_unless_schema_evolution_is_on()
    {
        var table = await CreateAsync();
        var batch = WithAcuity(Tables.EventBatch(1, 2));

        var error = await Assert.ThrowsAsync<DeltaSchemaException>(() => table.AppendAsync(batch));
        Assert.Contains("'acuity'", error.Message);
        Assert.Contains("MergeSchema", error.Message);
    }

    [Fact]
    public async Task Schema_evolution_adds_a_nullable_column_and_old_files_read_it_as_null()
    {
        var table = await CreateAsync();
        await table.AppendAsync(Tables.EventBatch(1, 2));

        var result = await table.AppendAsync(WithAcuity(Tables.EventBatch(3, 2)), new DeltaWriteOptions { MergeSchema = true });

        Assert.True(result.Committed);
        var field = table.Schema.Find("acuity");
        Assert.NotNull(field);
        Assert.True(field.Nullable);
        Assert.Equal(DeltaType.Integer, field.Type);
        var reopened = await DeltaTable.OpenAsync(new LocalLakeStorage(_temp.Path), "t");
        var read = await reopened.ReadAsync();
        var acuityById = read.Rows.ToDictionary(r => r.Get<long?>("id")!.Value, r => r.Get<int?>("acuity"));
        Assert.Equal(new Dictionary<long, int?> { [1] = null, [2] = null, [3] = 5, [4] = 5 }, acuityById);
    }

    [Fact]
    public async Task A_missing_nullable_column_is_written_as_null()
    {
        var table = await CreateAsync();
        await table.AppendAsync(new DeltaBatch(DeltaColumn.Long("id", [7]), DeltaColumn.Date("day", [new DateOnly(2026, 1, 1)])));

        var read = await table.ReadAsync();
        Assert.Null(Assert.Single(read.Column<string?>("ward")));
    }

    public void Dispose() => _temp.Dispose();

    private Task<DeltaTable> CreateAsync() =>
        DeltaTable.CreateAsync(new LocalLakeStorage(_temp.Path), "t", Tables.EventsByDay());

    private static DeltaBatch WithAcuity(DeltaBatch batch) =>
        new(batch.Columns.Append(DeltaColumn.Integer("acuity", Enumerable.Repeat<int?>(5, batch.RowCount).ToArray())));
}
