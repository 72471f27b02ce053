using DuckDB.NET.Data;
using HealthcareOrleans.Lake.Partitioning;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Lake.Tests.Infrastructure;

namespace HealthcareOrleans.Lake.Tests;

/// <summary>What we write must be readable by other engines: DuckDB reads our data files and our checkpoints.</summary>
public sealed class DuckDbInteropTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task DuckDB_reads_the_active_data_files_with_the_same_rows_and_values()
    {
        var root = Path.Combine(_temp.Path, "lake");
        var table = await DeltaTable.CreateAsync(new LocalLakeStorage(root), "silver/all", new DeltaTableDefinition { Schema = ColumnTypeRoundTripTests.AllTypes });
        await table.AppendAsync(ColumnTypeRoundTripTests.AllTypesBatch());
        var files = table.Snapshot.ActiveFiles.Select(f => "'" + Path.Combine(root, "silver/all", PartitionPath.FromUri(f.Path)) + "'");

        using DuckDBConnection connection = new("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT s, i, l, d, b, m, dt, epoch_us(ts) FROM read_parquet([{string.Join(",", files)}]) ORDER BY l NULLS LAST";
        using var reader = command.ExecuteReader();
        var expected = ColumnTypeRoundTripTests.AllTypesBatch();
        int[] order = [0, 2, 3, 1]; // by l: MinValue, 42, MaxValue, null
        foreach (var row in order)
        {
            Assert.True(reader.Read());
            Assert.Equal(expected.Columns[0].GetValue(row), reader.IsDBNull(0) ? null : reader.GetString(0));
            Assert.Equal(expected.Columns[1].GetValue(row), reader.IsDBNull(1) ? null : reader.GetInt32(1));
            Assert.Equal(expected.Columns[2].GetValue(row), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            Assert.Equal(expected.Columns[3].GetValue(row), reader.IsDBNull(3) ? null : reader.GetDouble(3));
            Assert.Equal(expected.Columns[4].GetValue(row), reader.IsDBNull(4) ? null : reader.GetBoolean(4));
            Assert.Equal(expected.Columns[5].GetValue(row), reader.IsDBNull(5) ? null : reader.GetDecimal(5));
            Assert.Equal(expected.Columns[6].GetValue(row), reader.IsDBNull(6) ? null : DateOnly.FromDateTime(reader.GetDateTime(6)));
            var ts = (DateTimeOffset?)expected.Columns[7].GetValue(row);
            long? expectedMicros = ts is null ? null : (ts.Value.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
            long? actualMicros = reader.IsDBNull(7) ? null : reader.GetInt64(7);
            Assert.Equal(expectedMicros, actualMicros);
        }

        Assert.False(reader.Read());
    }

    [Fact]
    public async Task DuckDB_sees_timestamps_as_utc_microseconds_and_decimals_with_the_declared_precision()
    {
        var root = Path.Combine(_temp.Path, "lake");
        var table = await DeltaTable.CreateAsync(new LocalLakeStorage(root), "t", new DeltaTableDefinition { Schema = ColumnTypeRoundTripTests.AllTypes });
        await table.AppendAsync(ColumnTypeRoundTripTests.AllTypesBatch());
        var file = Path.Combine(root, "t", PartitionPath.FromUri(table.Snapshot.ActiveFiles.Single().Path));

        var schema = Query($"SELECT name, type, logical_type, precision, scale FROM parquet_schema('{file}') WHERE name IN ('ts', 'm', 'dt')");

        Assert.Contains(schema, r => (string)r[0]! == "ts" && (string)r[1]! == "INT64" && ((string)r[2]!).Contains("isAdjustedToUTC=1", StringComparison.Ordinal) && ((string)r[2]!).Contains("MICROS=MicroSeconds()", StringComparison.Ordinal));
        Assert.Contains(schema, r => (string)r[0]! == "m" && Convert.ToInt32(r[3], System.Globalization.CultureInfo.InvariantCulture) == 12 && Convert.ToInt32(r[4], System.Globalization.CultureInfo.InvariantCulture) == 3);
        Assert.Contains(schema, r => (string)r[0]! == "dt" && (string)r[1]! == "INT32");
    }

    [Fact]
    public async Task DuckDB_reads_our_checkpoint_with_struct_columns_and_partition_values_as_a_map()
    {
        var root = Path.Combine(_temp.Path, "lake");
        var table = await DeltaTable.CreateAsync(new LocalLakeStorage(root), "bronze/raw", Tables.EventsByDay(new Dictionary<string, string> { [TableProperties.CheckpointInterval] = "2" }));
        await table.AppendAsync(Tables.EventBatch(1, 3, new DateOnly(2026, 11, 24)), new DeltaWriteOptions { ApplicationId = "patient-flow/0", ApplicationVersion = 41 });
        await table.AppendAsync(Tables.EventBatch(4, 3, new DateOnly(2026, 11, 25)));
        var checkpoint = Path.Combine(root, "bronze/raw/_delta_log/00000000000000000002.checkpoint.parquet");
        Assert.True(File.Exists(checkpoint));

        var adds = Query($"SELECT add.path, add.partitionValues['day'], add.stats, typeof(add.partitionValues) FROM read_parquet('{checkpoint}') WHERE add IS NOT NULL ORDER BY 2");
        var protocol = Query($"SELECT protocol.minReaderVersion, protocol.minWriterVersion FROM read_parquet('{checkpoint}') WHERE protocol IS NOT NULL");
        var txn = Query($"SELECT txn.appId, txn.version FROM read_parquet('{checkpoint}') WHERE txn IS NOT NULL");
        var metadata = Query($"SELECT metaData.partitionColumns, metaData.configuration['delta.checkpointInterval'] FROM read_parquet('{checkpoint}') WHERE metaData IS NOT NULL");

        Assert.Equal(2, adds.Count);
        Assert.Equal("2026-11-24", adds[0][1]);
        Assert.Equal("MAP(VARCHAR, VARCHAR)", adds[0][3]);
        Assert.Contains("\"numRecords\":3", (string)adds[0][2]!);
        Assert.Equal([1, 2], protocol.Single().Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("patient-flow/0", txn.Single()[0]);
        Assert.Equal(41L, txn.Single()[1]);
        Assert.Equal("2", metadata.Single()[1]);
        var reopened = await DeltaTable.OpenAsync(new LocalLakeStorage(root), "bronze/raw");
        Assert.Equal(41, reopened.GetTransactionVersion("patient-flow/0"));
        Assert.Equal(6, (await reopened.ReadAsync()).RowCount);
    }

    public void Dispose() => _temp.Dispose();

    private static List<object?[]> Query(string sql)
    {
        using DuckDBConnection connection = new("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        List<object?[]> rows = [];
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
