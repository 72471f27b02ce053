using System.Globalization;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Command-line options shared by the engine benchmarks: <c>--quick</c> (small sizes, one run: a smoke test of the
/// harness, not a figure), <c>--runs N</c>, <c>--events N</c> (pre-produced events per throughput run),
/// <c>--seconds N</c> (per latency rate), <c>--max-rate N</c> (events/s, for the latency runs), <c>--patients N,N,…</c>
/// (the scaling levels), <c>--grains N</c> (grain-memory), <c>--silo-setting KEY=VALUE</c> and <c>--silo PATH</c> (the silo build to start).
/// </summary>
internal sealed record BenchmarkOptions
{
    public bool Quick { get; init; }

    public int Runs { get; init; } = 3;

    /// <summary>Whether <see cref="Runs"/> came from <c>--runs</c>: the scaling mode runs its largest levels once unless told otherwise.</summary>
    public bool RunsGiven { get; init; }

    public int Events { get; init; } = 200_000;

    public int SecondsPerRate { get; init; } = 20;

    /// <summary>Distinct patients the engine holds at each level of the scaling mode.</summary>
    public IReadOnlyList<int> PatientLevels { get; init; } = [10_000, 100_000, 1_000_000];

    /// <summary>Idle patient grains per grain-memory run.</summary>
    public int Grains { get; init; } = 100_000;

    public string SiloPath { get; init; } = DefaultSiloPath();

    /// <summary>
    /// Extra silo configuration as environment variables (<c>--silo-setting KEY=VALUE</c>, repeatable), e.g.
    /// <c>Kafka__KafkaConfig__fetch.wait.max.ms=10</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> SiloSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>The pipeline's maximum throughput for the latency runs' 80 % rate; measured when not given.</summary>
    public double? MaxRate { get; init; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        if (args.Contains("--quick"))
        {
            options = options with { Quick = true, Runs = 1, Events = 30_000, SecondsPerRate = 5, PatientLevels = [2_000, 10_000], Grains = 10_000 };
        }

        for (var i = 0; i < args.Count - 1; i++)
        {
            options = args[i] switch
            {
                "--runs" => options with { Runs = Positive(args[i + 1], "--runs"), RunsGiven = true },
                "--events" => options with { Events = Positive(args[i + 1], "--events") },
                "--seconds" => options with { SecondsPerRate = Positive(args[i + 1], "--seconds") },
                "--max-rate" => options with { MaxRate = Positive(args[i + 1], "--max-rate") },
                "--patients" => options with { PatientLevels = [.. args[i + 1].Split(',').Select(level => Positive(level.Trim(), "--patients")).Distinct().Order()] },
                "--grains" => options with { Grains = Positive(args[i + 1], "--grains") },
                "--silo" => options with { SiloPath = Path.GetFullPath(args[i + 1]) },
                "--silo-setting" => options with { SiloSettings = WithSetting(options.SiloSettings, args[i + 1]) },
                _ => options,
            };
        }

        return options;
    }

    private static Dictionary<string, string> WithSetting(IReadOnlyDictionary<string, string> settings, string setting)
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--silo-setting needs KEY=VALUE (an environment variable for the silo); it was '{setting}'.");
        }

        return new Dictionary<string, string>(settings, StringComparer.Ordinal) { [setting[..equals]] = setting[(equals + 1)..] };
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} needs a positive whole number; it was '{text}'.");

    /// <summary>The Release build of the silo in this repository (found by walking up to HealthcareOrleans.sln).</summary>
    private static string DefaultSiloPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HealthcareOrleans.sln")))
            {
                return Path.Combine(dir.FullName, "silo", "bin", "Release", "net10.0", "HealthcareOrleans.Silo.dll");
            }
        }

        return Path.GetFullPath("silo/bin/Release/net10.0/HealthcareOrleans.Silo.dll");
    }
}
