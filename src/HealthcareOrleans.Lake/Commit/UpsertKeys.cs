using System.Globalization;
using System.Text.Json;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Log;
using HealthcareOrleans.Lake.Partitioning;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Commit;

/// <summary>
/// The key set of an upsert batch: matches existing rows by key, and rules out files that cannot hold any key
/// (by partition value, or by the min/max statistics of the first non-partition key column).
/// </summary>
internal sealed class UpsertKeys
{
    private readonly string[] _keyColumns;
    private readonly HashSet<string> _keys;
    private readonly Dictionary<string, HashSet<string?>> _partitionValues = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _statsColumn;
    private readonly DeltaTypeKind _statsKind;
    private readonly List<string> _sortedStatsKeys = [];
    private readonly List<long> _sortedNumericKeys = [];

    public UpsertKeys(DeltaSnapshot snapshot, DeltaBatch rows, IReadOnlyList<string> keyColumns)
    {
        if (keyColumns is null || keyColumns.Count == 0)
        {
            throw new ArgumentException("An upsert needs at least one key column.", nameof(keyColumns));
        }

        _keyColumns = keyColumns.Select(c => snapshot.Schema.Find(c)?.Name ?? throw new DeltaSchemaException($"Key column '{c}' is not in the table schema ({snapshot.Schema}).")).ToArray();
        foreach (var column in _keyColumns)
        {
            if (!rows.HasColumn(column))
            {
                throw new DeltaSchemaException($"The upsert batch has no values for the key column '{column}'.");
            }
        }

        _keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.RowCount; i++)
        {
            if (!_keys.Add(KeyOf(rows, i)))
            {
                throw new DeltaException($"The upsert batch has two rows with the key ({Describe(rows, i)}); MERGE needs at most one source row per key.");
            }
        }

        foreach (var column in _keyColumns.Where(c => snapshot.PartitionColumns.Contains(c, StringComparer.OrdinalIgnoreCase)))
        {
            var type = snapshot.Schema[column].Type;
            var values = rows.Column(column);
            _partitionValues[column] = Enumerable.Range(0, rows.RowCount).Select(i => PartitionValueFormat.Format(type, values.GetValue(i))).ToHashSet();
        }

        var statsField = _keyColumns.Select(c => snapshot.Schema[c]).FirstOrDefault(f =>
            !snapshot.PartitionColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)
            && f.Type.Kind is DeltaTypeKind.Long or DeltaTypeKind.Integer or DeltaTypeKind.String);
        if (statsField is not null)
        {
            _statsColumn = statsField.Name;
            _statsKind = statsField.Type.Kind;
            var values = rows.Column(statsField.Name);
            for (var i = 0; i < rows.RowCount; i++)
            {
                switch (values.GetValue(i))
                {
                    case string s:
                        _sortedStatsKeys.Add(s);
                        break;
                    case long l:
                        _sortedNumericKeys.Add(l);
                        break;
                    case int n:
                        _sortedNumericKeys.Add(n);
                        break;
                    default:
                        break;
                }
            }

            _sortedStatsKeys.Sort(StringComparer.Ordinal);
            _sortedNumericKeys.Sort();
        }
    }

    public bool[] Match(DeltaBatch existing)
    {
        var mask = new bool[existing.RowCount];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = _keys.Contains(KeyOf(existing, i));
        }

        return mask;
    }

    public bool MayContainKeys(AddFile file)
    {
        foreach (var (column, values) in _partitionValues)
        {
            var key = file.PartitionValues.Keys.FirstOrDefault(k => string.Equals(k, column, StringComparison.OrdinalIgnoreCase));
            if (key is not null && !values.Contains(file.PartitionValues[key]))
            {
                return false;
            }
        }

        if (_statsColumn is null || FileStatistics.TryReadBounds(file.Stats, _statsColumn) is not { } bounds)
        {
            return true;
        }

        return _statsKind == DeltaTypeKind.String
            ? AnyBetween(_sortedStatsKeys, bounds.Min.GetString()!, bounds.Max.GetString()!, StringComparer.Ordinal)
            : bounds.Min.ValueKind == JsonValueKind.Number && bounds.Max.ValueKind == JsonValueKind.Number
                && AnyBetween(_sortedNumericKeys, bounds.Min.GetInt64(), bounds.Max.GetInt64(), Comparer<long>.Default);
    }

    private static bool AnyBetween<T>(List<T> sorted, T min, T max, IComparer<T> comparer)
    {
        var index = sorted.BinarySearch(min, comparer);
        if (index < 0)
        {
            index = ~index;
        }

        return index < sorted.Count && comparer.Compare(sorted[index], max) <= 0;
    }

    private string KeyOf(DeltaBatch batch, int row)
    {
        if (_keyColumns.Length == 1)
        {
            return Text(batch.Column(_keyColumns[0]).GetValue(row));
        }

        return string.Join('\u0001', _keyColumns.Select(c => Text(batch.Column(c).GetValue(row))));
    }

    private string Describe(DeltaBatch batch, int row) =>
        string.Join(", ", _keyColumns.Select(c => $"{c}={batch.Column(c).GetValue(row) ?? "null"}"));

    private static string Text(object? value) => value switch
    {
        null => "\u0000",
        DateTimeOffset t => t.UtcTicks.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
