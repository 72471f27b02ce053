using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>CPU time and memory of a process as Linux reports them in <c>/proc/&lt;pid&gt;</c>.</summary>
internal readonly record struct ProcessResources(TimeSpan CpuTime, long PeakResidentBytes, long ResidentBytes)
{
    // proc(5): utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (USER_HZ, 100 on Linux).
    private const double TicksPerSecond = 100;

    public static ProcessResources Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long peak = 0, resident = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kibibytes(line) * 1024;
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kibibytes(line) * 1024;
            }
        }

        return new ProcessResources(TimeSpan.FromSeconds(ticks / TicksPerSecond), peak, resident);
    }

    public static ProcessResources Self() => Read(Environment.ProcessId);

    // "VmHWM:\t%8lu kB": from 10,000,000 kB on, no space is left between the tab and the number.
    private static long Kibibytes(string line) =>
        long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
