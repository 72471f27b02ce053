using HealthcareOrleans.Lake.Data;

namespace HealthcareOrleans.Testing;

/// <summary>Every row of a table as text, columns by name, sorted: equal tables give equal lists whatever the file layout.</summary>
public static class TableRows
{
    public static List<string> Of(DeltaBatch batch)
    {
        var names = batch.Columns.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        return [.. Enumerable.Range(0, batch.RowCount)
            .Select(i => string.Join("|", names.Select(n => Cell(batch.Column(n).GetValue(i)))))
            .Order(StringComparer.Ordinal)];
    }

    private static string Cell(object? value) => value switch
    {
        null => "∅",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTimeOffset t => t.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };
}
