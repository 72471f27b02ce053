using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Lake.Data;

/// <summary>
/// One column of a <see cref="DeltaBatch"/>: a typed array whose element type is the nullable CLR type of the Delta
/// type (<c>long?[]</c>, <c>string?[]</c>, <c>DateTimeOffset?[]</c>...). Values stay unboxed end to end; only the
/// row view (<see cref="GetValue"/>) boxes.
/// </summary>
public abstract class DeltaColumn
{
    private protected DeltaColumn(string name, DeltaType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Type = type ?? throw new ArgumentNullException(nameof(type));
    }

    public string Name { get; }

    public DeltaType Type { get; }

    public abstract int Length { get; }

    public abstract bool IsNull(int row);

    /// <summary>The value at <paramref name="row"/>, boxed; null for null.</summary>
    public abstract object? GetValue(int row);

    /// <summary>The number of null values.</summary>
    public abstract int NullCount();

    /// <summary>A new column holding the rows at <paramref name="rows"/>, in that order.</summary>
    public abstract DeltaColumn Take(ReadOnlySpan<int> rows);

    /// <summary>A column of <paramref name="length"/> copies of one value (used for partition values and missing columns).</summary>
    public static DeltaColumn Constant(string name, DeltaType type, object? value, int length) =>
        type.Kind switch
        {
            DeltaTypeKind.String => Fill(name, type, (string?)value, length),
            DeltaTypeKind.Long => Fill(name, type, (long?)value, length),
            DeltaTypeKind.Integer => Fill(name, type, (int?)value, length),
            DeltaTypeKind.Short => Fill(name, type, (short?)value, length),
            DeltaTypeKind.Byte => Fill(name, type, (sbyte?)value, length),
            DeltaTypeKind.Float => Fill(name, type, (float?)value, length),
            DeltaTypeKind.Double => Fill(name, type, (double?)value, length),
            DeltaTypeKind.Boolean => Fill(name, type, (bool?)value, length),
            DeltaTypeKind.Binary => Fill(name, type, (byte[]?)value, length),
            DeltaTypeKind.Date => Fill(name, type, (DateOnly?)value, length),
            DeltaTypeKind.Timestamp => Fill(name, type, (DateTimeOffset?)value, length),
            DeltaTypeKind.Decimal => Fill(name, type, (decimal?)value, length),
            _ => throw new NotSupportedException($"Column '{name}' has the nested type {type}, which this library cannot hold."),
        };

    /// <summary>Builds a column from boxed values (convenience path; the hot path hands typed arrays directly).</summary>
    public static DeltaColumn FromValues(string name, DeltaType type, IReadOnlyList<object?> values)
    {
        var column = Constant(name, type, null, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not null)
            {
                column.SetBoxed(i, values[i]!);
            }
        }

        return column;
    }

    public static DeltaColumn<string?> String(string name, string?[] values) => new(name, DeltaType.String, values);

    public static DeltaColumn<long?> Long(string name, long?[] values) => new(name, DeltaType.Long, values);

    public static DeltaColumn<int?> Integer(string name, int?[] values) => new(name, DeltaType.Integer, values);

    public static DeltaColumn<double?> Double(string name, double?[] values) => new(name, DeltaType.Double, values);

    public static DeltaColumn<bool?> Boolean(string name, bool?[] values) => new(name, DeltaType.Boolean, values);

    public static DeltaColumn<DateOnly?> Date(string name, DateOnly?[] values) => new(name, DeltaType.Date, values);

    public static DeltaColumn<DateTimeOffset?> Timestamp(string name, DateTimeOffset?[] values) => new(name, DeltaType.Timestamp, values);

    public static DeltaColumn<decimal?> Decimal(string name, int precision, int scale, decimal?[] values) => new(name, DeltaType.Decimal(precision, scale), values);

    internal abstract void SetBoxed(int row, object value);

    /// <summary>Dense ids per row (equal values, equal ids; null has its own id) and the distinct values by id.</summary>
    internal abstract int[] Factorize(out List<object?> distinct);

    internal abstract DeltaColumn Rename(string name, DeltaType type);

    internal static DeltaColumn Concat(string name, DeltaType type, IReadOnlyList<DeltaColumn> parts)
    {
        var total = parts.Sum(p => p.Length);
        var result = Constant(name, type, null, total);
        var offset = 0;
        foreach (var part in parts)
        {
            result.CopyFrom(part, offset);
            offset += part.Length;
        }

        return result;
    }

    private protected abstract void CopyFrom(DeltaColumn source, int offset);

    private static DeltaColumn<T> Fill<T>(string name, DeltaType type, T value, int length)
    {
        var values = new T[length];
        if (value is not null)
        {
            Array.Fill(values, value);
        }

        return new DeltaColumn<T>(name, type, values);
    }
}

/// <summary>A typed column; <typeparamref name="T"/> is the nullable element type (<c>long?</c>, <c>string?</c>...).</summary>
public sealed class DeltaColumn<T> : DeltaColumn
{
    public DeltaColumn(string name, DeltaType type, T[] values)
        : base(name, type)
    {
        if (type.IsPrimitive && type.ClrType != typeof(T) && !(type.ClrType == typeof(string) && typeof(T) == typeof(string)))
        {
            throw new ArgumentException($"Column '{name}' is {type} and needs {type.ClrType.Name} values, not {typeof(T).Name}.", nameof(values));
        }

        Values = values ?? throw new ArgumentNullException(nameof(values));
    }

    /// <summary>The values; a null element is a null value.</summary>
    public T[] Values { get; }

    public override int Length => Values.Length;

    public override bool IsNull(int row) => Values[row] is null;

    public override object? GetValue(int row) => Values[row];

    public override int NullCount()
    {
        var count = 0;
        foreach (var value in Values)
        {
            if (value is null)
            {
                count++;
            }
        }

        return count;
    }

    public override DeltaColumn Take(ReadOnlySpan<int> rows)
    {
        var taken = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            taken[i] = Values[rows[i]];
        }

        return new DeltaColumn<T>(Name, Type, taken);
    }

    internal override void SetBoxed(int row, object value)
    {
        Values[row] = value switch
        {
            T typed => typed,
            DateTime dateTime when typeof(T) == typeof(DateTimeOffset?) => (T)(object)ToUtcOffset(dateTime),
            DateTime dateTime when typeof(T) == typeof(DateOnly?) => (T)(object)DateOnly.FromDateTime(dateTime),
            IConvertible convertible when Nullable.GetUnderlyingType(typeof(T)) is { } underlying && IsLosslessNumeric(value, underlying) =>
                (T)Convert.ChangeType(convertible, underlying, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new DeltaSchemaException($"Column '{Name}' is {Type}; the value '{value}' of type {value.GetType().Name} does not fit it."),
        };
    }

    internal override int[] Factorize(out List<object?> distinct)
    {
        var ids = new int[Values.Length];
        Dictionary<Key, int> seen = [];
        distinct = [];
        var nullId = -1;
        for (var i = 0; i < ids.Length; i++)
        {
            var value = Values[i];
            if (value is null)
            {
                if (nullId < 0)
                {
                    nullId = distinct.Count;
                    distinct.Add(null);
                }

                ids[i] = nullId;
            }
            else if (seen.TryGetValue(new Key(value), out var id))
            {
                ids[i] = id;
            }
            else
            {
                ids[i] = seen[new Key(value)] = distinct.Count;
                distinct.Add(value);
            }
        }

        return ids;
    }

    internal override DeltaColumn Rename(string name, DeltaType type) => new DeltaColumn<T>(name, type, Values);

    private protected override void CopyFrom(DeltaColumn source, int offset)
    {
        if (source is DeltaColumn<T> typed)
        {
            Array.Copy(typed.Values, 0, Values, offset, typed.Length);
            return;
        }

        for (var i = 0; i < source.Length; i++)
        {
            if (source.GetValue(i) is { } value)
            {
                SetBoxed(offset + i, value);
            }
        }
    }

    /// <summary>Wraps a value as a non-null dictionary key; equality is T's own, without boxing.</summary>
    private readonly record struct Key(T Value);

    private static DateTimeOffset ToUtcOffset(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        // An unspecified DateTime has no zone; guessing one would shift clinical times silently.
        _ => throw new DeltaSchemaException("A timestamp DateTime has Kind=Unspecified. Pass DateTimeOffset or a UTC DateTime."),
    };

    private static bool IsLosslessNumeric(object value, Type target)
    {
        // Widening only (int into long, float into double, integers into decimal): a narrowing conversion could lose data.
        return (value, System.Type.GetTypeCode(target)) switch
        {
            (int or short or sbyte or byte, TypeCode.Int64) => true,
            (short or sbyte or byte, TypeCode.Int32) => true,
            (sbyte or byte, TypeCode.Int16) => true,
            (float or int or short, TypeCode.Double) => true,
            (int or long or short, TypeCode.Decimal) => true,
            _ => false,
        };
    }
}
