namespace HealthcareOrleans.Benchmarks;

/// <summary>What the figures were measured on, printed first so every pasted result carries it.</summary>
internal static class MachineDescription
{
    /// <summary>1, 5 and 15 minute load averages: on 2 cores anything above ~1 means something else competed for the CPU.</summary>
    public static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]) + " (1/5/15 min)";

    public static string Text()
    {
        var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores, {(memory is null ? "?" : $"{long.Parse(memory, System.Globalization.CultureInfo.InvariantCulture) / 1048576.0:N1} GiB")}, " +
               $"{Environment.OSVersion}, .NET {Environment.Version}; load average at start {LoadAverage()}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}
