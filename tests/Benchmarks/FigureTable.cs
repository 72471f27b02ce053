using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>Figures measured over several runs, printed as the min / median / max Markdown table docs/BENCHMARKS.md uses.</summary>
internal sealed class FigureTable(string title)
{
    private readonly List<(string Name, string Format, List<double> Values)> _rows = [];

    public void Add(string name, double value, string format = "N0")
    {
        var row = _rows.Find(r => r.Name == name);
        if (row.Values is null)
        {
            row = (name, format, []);
            _rows.Add(row);
        }

        row.Values.Add(value);
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"{title} (load average at the end: {MachineDescription.LoadAverage()})");
        Console.WriteLine("| measure | runs | min | median | max |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, format, values) in _rows)
        {
            var sorted = values.Order().ToList();
            Console.WriteLine($"| {name} | {sorted.Count} | {Text(sorted[0], format)} | {Text(Median(sorted), format)} | {Text(sorted[^1], format)} |");
        }
    }

    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Text(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
