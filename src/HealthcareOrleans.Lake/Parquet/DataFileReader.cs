using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;
using Parquet;
using Parquet.Schema;

namespace HealthcareOrleans.Lake.Parquet;

/// <summary>
/// Decodes a Parquet data file into a batch with the columns asked for. A column the file lacks (added to the schema
/// after the file was written) reads as null, which is how additive schema evolution works for old files.
/// </summary>
internal static class DataFileReader
{
    public static async Task<DeltaBatch> ReadAsync(ArraySegment<byte> content, IReadOnlyList<DeltaField> fields, CancellationToken cancellationToken)
    {
        using MemoryStream stream = new(content.Array!, content.Offset, content.Count, writable: false);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var byName = reader.Schema.DataFields
            .Where(f => f.Path.Length == 1)
            .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

        List<DeltaBatch> groups = [];
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var rows = checked((int)rowGroup.RowCount);
            var columns = new DeltaColumn[fields.Count];
            for (var c = 0; c < fields.Count; c++)
            {
                var field = fields[c];
                columns[c] = byName.TryGetValue(field.Name, out var dataField)
                    ? await ReadColumnAsync(rowGroup, dataField, field, rows, cancellationToken).ConfigureAwait(false)
                    : DeltaColumn.Constant(field.Name, field.Type, null, rows);
            }

            groups.Add(new DeltaBatch(columns));
        }

        return groups.Count switch
        {
            0 => new DeltaBatch(fields.Select(f => DeltaColumn.Constant(f.Name, f.Type, null, 0))),
            1 => groups[0],
            _ => DeltaBatch.Concat(new DeltaSchema(fields), groups),
        };
    }

    private static async Task<DeltaColumn> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField dataField, DeltaField field, int rows, CancellationToken ct)
    {
        var name = field.Name;
        var type = field.Type;
        switch (type.Kind)
        {
            case DeltaTypeKind.String:
                var strings = new string?[rows];
                await rowGroup.ReadAsync(dataField, strings.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                return new DeltaColumn<string?>(name, type, strings);
            case DeltaTypeKind.Binary:
                var bytes = new byte[]?[rows];
                await rowGroup.ReadAsync(dataField, bytes.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                return new DeltaColumn<byte[]?>(name, type, bytes);
            case DeltaTypeKind.Long:
                return new DeltaColumn<long?>(name, type, await ReadValuesAsync<long>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Integer:
                return new DeltaColumn<int?>(name, type, await ReadValuesAsync<int>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Short:
                return new DeltaColumn<short?>(name, type, await ReadValuesAsync<short>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Byte:
                return new DeltaColumn<sbyte?>(name, type, await ReadValuesAsync<sbyte>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Float:
                return new DeltaColumn<float?>(name, type, await ReadValuesAsync<float>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Double:
                return new DeltaColumn<double?>(name, type, await ReadValuesAsync<double>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Boolean:
                return new DeltaColumn<bool?>(name, type, await ReadValuesAsync<bool>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Decimal:
                return new DeltaColumn<decimal?>(name, type, await ReadValuesAsync<decimal>(rowGroup, dataField, rows, ct).ConfigureAwait(false));
            case DeltaTypeKind.Date:
                var days = await ReadValuesAsync<DateTime>(rowGroup, dataField, rows, ct).ConfigureAwait(false);
                return new DeltaColumn<DateOnly?>(name, type, Array.ConvertAll(days, d => d is { } v ? DateOnly.FromDateTime(v) : (DateOnly?)null));
            case DeltaTypeKind.Timestamp:
                // Parquet.Net returns UTC-adjusted INT64 timestamps and legacy INT96 ones as DateTime; both are instants in UTC.
                var instants = await ReadValuesAsync<DateTime>(rowGroup, dataField, rows, ct).ConfigureAwait(false);
                return new DeltaColumn<DateTimeOffset?>(name, type, Array.ConvertAll(instants, t => t is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : (DateTimeOffset?)null));
            default:
                throw new NotSupportedException($"Column '{name}' has the nested type {type}; read the table with a projection that leaves it out.");
        }
    }

    private static async Task<T?[]> ReadValuesAsync<T>(ParquetRowGroupReader rowGroup, DataField dataField, int rows, CancellationToken ct)
        where T : struct
    {
        var values = new T?[rows];
        if (dataField.IsNullable)
        {
            await rowGroup.ReadAsync<T>(dataField, values.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            return values;
        }

        var required = new T[rows];
        await rowGroup.ReadAsync<T>(dataField, required.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
        for (var i = 0; i < rows; i++)
        {
            values[i] = required[i];
        }

        return values;
    }
}
