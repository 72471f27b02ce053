using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Medallion.Bronze;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>One Bronze row as the Silver flush reads it.</summary>
public readonly record struct BronzeRecordRow(BrokerRecord Record, string Source, DateTimeOffset ReceivedAt);

/// <summary>
/// The Bronze records of a range of Bronze versions in Bronze order, for the Silver flush (new records, and after a
/// restart the records Silver already holds, to rebuild its patient replicas). Normally read commit by commit; once
/// compaction and vacuum have removed the files those commits added, from the live files instead, bounded by the
/// per-partition offsets the range's Bronze txn actions recorded, and ordered by log (oldest first), partition and
/// offset, which keeps every patient's records in the order the grains saw them.
/// </summary>
public static class ProcessedBronze
{
    private static readonly string[] Columns =
        [BronzeTable.Source, BronzeTable.Topic, BronzeTable.Partition, BronzeTable.Offset, BronzeTable.Key, BronzeTable.Payload, BronzeTable.BrokerTimestamp, BronzeTable.ReceivedAt,
         BronzeTable.PayloadSize, BronzeTable.PayloadDropped];

    public static async Task<List<BronzeRecordRow>> ReadAsync(DeltaTable bronze, long from, long to, CancellationToken cancellationToken)
    {
        List<BronzeRecordRow> rows = [];
        var columns = ColumnsOf(bronze);
        try
        {
            foreach (var commit in await bronze.GetChangesAsync(from, to, cancellationToken).ConfigureAwait(false))
            {
                foreach (var file in commit.AddedFiles)
                {
                    rows.AddRange(Rows(await bronze.ReadFileAsync(file, columns: columns, cancellationToken: cancellationToken).ConfigureAwait(false)));
                }
            }

            return rows;
        }
        catch (Exception e) when (e is FileNotFoundException || e.InnerException is FileNotFoundException)
        {
            // The table names the missing file in a DeltaException around the storage's FileNotFoundException.
            return await FromLiveFilesAsync(bronze, from, to, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What to read: a Bronze table written before <c>payload_size</c> existed lacks those columns.</summary>
    public static string[] ColumnsOf(DeltaTable bronze) => [.. Columns.Where(c => bronze.Schema.Find(c) is not null)];

    public static IEnumerable<BronzeRecordRow> Rows(DeltaBatch batch)
    {
        var sources = batch.Column<string?>(BronzeTable.Source);
        var topics = batch.Column<string?>(BronzeTable.Topic);
        var partitions = batch.Column<int?>(BronzeTable.Partition);
        var offsets = batch.Column<long?>(BronzeTable.Offset);
        var keys = batch.Column<string?>(BronzeTable.Key);
        var payloads = batch.Column<byte[]?>(BronzeTable.Payload);
        var brokerTimes = batch.Column<DateTimeOffset?>(BronzeTable.BrokerTimestamp);
        var receivedAt = batch.Column<DateTimeOffset?>(BronzeTable.ReceivedAt);
        // Not read from a table that predates them; null in rows written before they existed: those payloads were all kept.
        var sizes = batch.HasColumn(BronzeTable.PayloadSize) ? batch.Column<int?>(BronzeTable.PayloadSize) : null;
        var dropped = batch.HasColumn(BronzeTable.PayloadDropped) ? batch.Column<string?>(BronzeTable.PayloadDropped) : null;
        for (var i = 0; i < batch.RowCount; i++)
        {
            var record = new BrokerRecord(topics[i]!, partitions[i]!.Value, offsets[i]!.Value, brokerTimes[i]!.Value.UtcDateTime, keys[i], payloads[i] ?? [],
                dropped?[i] is not null ? sizes![i] : null);
            yield return new BronzeRecordRow(record, sources[i]!, receivedAt[i]!.Value);
        }
    }

    private static async Task<List<BronzeRecordRow>> FromLiveFilesAsync(DeltaTable bronze, long from, long to, CancellationToken cancellationToken)
    {
        var upTo = (await bronze.GetSnapshotAsync(to, cancellationToken).ConfigureAwait(false)).Transactions;
        var before = from > 1 ? (await bronze.GetSnapshotAsync(from - 1, cancellationToken).ConfigureAwait(false)).Transactions : null;
        List<BronzeRecordRow> rows = [];
        await foreach (var batch in bronze.ReadFilesAsync(columns: ColumnsOf(bronze), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in Rows(batch))
            {
                var writer = $"{row.Source}/{row.Record.Topic}/{row.Record.Partition}";
                if (upTo.TryGetValue(writer, out var last) && row.Record.Offset <= last.Version
                    && !(before is not null && before.TryGetValue(writer, out var earlier) && row.Record.Offset <= earlier.Version))
                {
                    rows.Add(row);
                }
            }
        }

        var logAge = rows.GroupBy(r => r.Source).ToDictionary(g => g.Key, g => g.Min(r => r.ReceivedAt), StringComparer.Ordinal);
        return [.. rows.OrderBy(r => logAge[r.Source]).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Record.Partition).ThenBy(r => r.Record.Offset)];
    }
}
