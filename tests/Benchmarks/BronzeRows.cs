using System.Globalization;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.Lake.Storage;
using Parquet;
using Parquet.Schema;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Bronze-like rows (topic, partition, offset, key, ~300-byte JSON payload, received_at, ingest_date partition) and the
/// plain Parquet.Net write of them that Delta appends are compared with; shared by <see cref="LakeBenchmark"/> and the
/// BenchmarkDotNet lake benchmarks so that both measure the same shapes.
/// </summary>
internal static class BronzeRows
{
    public static readonly DeltaSchema Schema = new(
        DeltaField.String("topic", nullable: false),
        DeltaField.Integer("partition", nullable: false),
        DeltaField.Long("offset", nullable: false),
        DeltaField.String("key"),
        DeltaField.String("payload"),
        DeltaField.Timestamp("received_at", nullable: false),
        DeltaField.Date("ingest_date", nullable: false));

    public static DeltaBatch Batch(int rows)
    {
        var random = new Random(42);
        var topic = new string?[rows];
        var partition = new int?[rows];
        var offset = new long?[rows];
        var key = new string?[rows];
        var payload = new string?[rows];
        var received = new DateTimeOffset?[rows];
        var day = new DateOnly?[rows];
        var start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < rows; i++)
        {
            topic[i] = "patient-flow";
            partition[i] = i % 4;
            offset[i] = i;
            key[i] = "P" + random.Next(100_000).ToString("D6", CultureInfo.InvariantCulture);
            payload[i] = $"{{\"event_id\":\"{Guid.NewGuid()}\",\"event_type\":\"TRANSFER\",\"occurred_at\":\"2026-11-25T08:{i % 60:D2}:00+01:00\",\"hospital_id\":\"H1\",\"patient_id\":\"{key[i]}\",\"encounter_id\":\"E{i}\",\"ward_id\":\"W{i % 20}\",\"bed_id\":\"B{i % 30}\",\"department\":\"cardiology\",\"acuity\":3,\"schema_version\":1}}";
            received[i] = start.AddMilliseconds(i);
            day[i] = DateOnly.FromDateTime(start.UtcDateTime);
        }

        return new DeltaBatch(
            DeltaColumn.String("topic", topic), DeltaColumn.Integer("partition", partition), DeltaColumn.Long("offset", offset),
            DeltaColumn.String("key", key), DeltaColumn.String("payload", payload), DeltaColumn.Timestamp("received_at", received), DeltaColumn.Date("ingest_date", day));
    }

    /// <summary>
    /// A Bronze-shaped table whose log holds <paramref name="commits"/> commits (the create, then one-row appends), for
    /// table-open figures: the open cost grows with the log, not with the data.
    /// </summary>
    /// <param name="checkpointInterval">delta.checkpointInterval; null leaves the table at the default (every 10 commits).</param>
    public static async Task CreateTableOfCommitsAsync(ILakeStorage storage, string path, int commits, int? checkpointInterval = null)
    {
        var table = await DeltaTable.CreateAsync(storage, path, new DeltaTableDefinition
        {
            Schema = Schema,
            Properties = checkpointInterval is { } interval
                ? new Dictionary<string, string> { [TableProperties.CheckpointInterval] = interval.ToString(CultureInfo.InvariantCulture) }
                : new Dictionary<string, string>(),
        });
        var one = Batch(1);
        for (var i = 1; i < commits; i++)
        {
            await table.AppendAsync(one);
        }
    }

    /// <summary>
    /// The same rows as one Parquet file with Parquet.Net's low-level writer and default compression: no statistics, no
    /// log, no partition folder (ingest_date is left out, as Delta keeps partition values in the path).
    /// </summary>
    public static async Task WritePlainParquetAsync(DeltaBatch batch, string file)
    {
        DataField[] fields =
        [
            new DataField<string>("topic", true), new DataField<int?>("partition"), new DataField<long?>("offset"), new DataField<string>("key", true),
            new DataField<string>("payload", true), new DateTimeDataField("received_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        ];
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(fields[0], batch.Column<string?>("topic")!);
        await group.WriteAsync<int>(fields[1], batch.Column<int?>("partition"));
        await group.WriteAsync<long>(fields[2], batch.Column<long?>("offset"));
        await group.WriteAsync(fields[3], batch.Column<string?>("key")!);
        await group.WriteAsync(fields[4], batch.Column<string?>("payload")!);
        await group.WriteAsync<DateTime>(fields[5], batch.Column<DateTimeOffset?>("received_at").Select(t => t?.UtcDateTime).ToArray());
    }
}
