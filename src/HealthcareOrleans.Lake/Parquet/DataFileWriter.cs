using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;
using Parquet;
using Parquet.Schema;

namespace HealthcareOrleans.Lake.Parquet;

/// <summary>Encodes a batch (data columns only, no partition columns) as one Parquet file in memory.</summary>
internal static class DataFileWriter
{
    public static async Task<byte[]> WriteAsync(IReadOnlyList<DeltaField> fields, DeltaBatch batch, CancellationToken cancellationToken)
    {
        var dataFields = fields.Select(ParquetFieldMapping.ToDataField).ToArray();
        using MemoryStream buffer = new();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(dataFields), buffer, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using var rowGroup = writer.CreateRowGroup();
            for (var i = 0; i < fields.Count; i++)
            {
                await WriteColumnAsync(rowGroup, dataFields[i], batch.Column(fields[i].Name), cancellationToken).ConfigureAwait(false);
            }
        }

        return buffer.ToArray();
    }

    private static async Task WriteColumnAsync(ParquetRowGroupWriter rowGroup, DataField field, DeltaColumn column, CancellationToken ct)
    {
        switch (column)
        {
            case DeltaColumn<string?> strings:
                await rowGroup.WriteAsync(field, strings.Values!).ConfigureAwait(false);
                break;
            case DeltaColumn<byte[]?> bytes:
                await rowGroup.WriteAsync(field, bytes.Values!).ConfigureAwait(false);
                break;
            case DeltaColumn<long?> c:
                await rowGroup.WriteAsync<long>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<int?> c:
                await rowGroup.WriteAsync<int>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<short?> c:
                await rowGroup.WriteAsync<short>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<sbyte?> c:
                await rowGroup.WriteAsync<sbyte>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<float?> c:
                await rowGroup.WriteAsync<float>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<double?> c:
                await rowGroup.WriteAsync<double>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<bool?> c:
                await rowGroup.WriteAsync<bool>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<decimal?> c:
                await rowGroup.WriteAsync<decimal>(field, c.Values, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<DateOnly?> c:
                var dates = new DateTime?[c.Length];
                for (var i = 0; i < dates.Length; i++)
                {
                    dates[i] = c.Values[i]?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                }

                await rowGroup.WriteAsync<DateTime>(field, dates, cancellationToken: ct).ConfigureAwait(false);
                break;
            case DeltaColumn<DateTimeOffset?> c:
                var instants = new DateTime?[c.Length];
                for (var i = 0; i < instants.Length; i++)
                {
                    instants[i] = c.Values[i]?.UtcDateTime;
                }

                await rowGroup.WriteAsync<DateTime>(field, instants, cancellationToken: ct).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"Column '{column.Name}' of type {column.Type} cannot be written.");
        }
    }
}
