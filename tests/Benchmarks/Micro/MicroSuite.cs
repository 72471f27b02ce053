using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// The <c>micro</c> mode: BenchmarkDotNet over the classes in this folder. Arguments after the mode go to
/// BenchmarkDotNet (<c>--filter '*Decoder*'</c>, <c>--list flat</c>, <c>--job short</c>, ...); with no filter every
/// benchmark runs instead of BenchmarkDotNet's interactive prompt.
/// </summary>
internal static class MicroSuite
{
    public static readonly Type[] Benchmarks =
    [
        typeof(DecoderBenchmarks), typeof(PatientApplyBenchmarks), typeof(DeltaAppendBenchmarks), typeof(DeltaCommitBenchmarks), typeof(DeltaOpenBenchmarks),
    ];

    public static int Run(IReadOnlyList<string> args, bool quick)
    {
        var passThrough = args.Where(a => a != "--quick").ToList();
        if (!passThrough.Any(a => a is "--filter" or "-f" or "--list" or "--help" or "-h" or "--info"))
        {
            passThrough.AddRange(["--filter", "*"]);
        }

        // Results land next to the build output, not in whatever folder dotnet run was started from.
        IConfig config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        if (quick)
        {
            // A smoke test, not figures: in this process (no generated project to build) and three measured iterations.
            config = config.AddJob(Job.ShortRun.WithWarmupCount(1).WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick"));
        }

        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run([.. passThrough], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
