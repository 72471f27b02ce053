using System.Reflection;

namespace HealthcareOrleans.Warehouse.Model;

/// <summary>The repository's sql/ folder, embedded in this assembly (names like "duckdb/views/vw_ward_occupancy.sql").</summary>
public static class SqlScripts
{
    private const string Prefix = "sql/";

    /// <summary>Every embedded script under <paramref name="folder"/> (e.g. "synapse/views/"), sorted by name.</summary>
    public static IReadOnlyList<string> List(string folder) =>
        [.. typeof(SqlScripts).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix + folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..])
            .Order(StringComparer.Ordinal)];

    public static string Read(string name)
    {
        using var stream = typeof(SqlScripts).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new FileNotFoundException($"The SQL script {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}; it belongs in the repository's sql/ folder.");
        using StreamReader reader = new(stream);
        return reader.ReadToEnd();
    }
}
