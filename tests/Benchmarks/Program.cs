using System.Globalization;
using HealthcareOrleans.Benchmarks;
using HealthcareOrleans.Benchmarks.Micro;

// One mode per area. Usage: dotnet run -c Release --project tests/Benchmarks -- <mode> [options]
var options = BenchmarkOptions.Parse(args);
Console.WriteLine(MachineDescription.Text());
switch (args.FirstOrDefault())
{
    case "baseline":
        await BaselineSuite.RunAsync(options);
        return 0;
    case "e2e":
        await EndToEndSuite.RunAsync(options);
        return 0;
    case "eventhubs":
        await EventHubsComparisonSuite.RunAsync(options);
        return 0;
    case "latency":
        await LatencySuite.RunAsync(options, measuredMaxRate: null);
        return 0;
    case "scaling":
        await ScalingSuite.RunAsync(options);
        return 0;
    case "grain-memory":
        await GrainMemorySuite.RunAsync(options);
        return 0;
    case "grain-storage":
        await GrainStorageBenchmark.RunAsync(options);
        return 0;
    case "all":
        // Fits the 15-minute budget on 2 cores: latency 15 s per rate, scaling only up to 100,000 patients and once,
        // memory per grain measured once (the scaling and grain-memory modes alone give 3 runs and the 1 M levels).
        var maxRate = await EndToEndSuite.RunAsync(options);
        var shorter = options with { SecondsPerRate = Math.Min(options.SecondsPerRate, 15) };
        await LatencySuite.RunAsync(shorter, double.IsNaN(maxRate) ? null : maxRate);
        await ScalingSuite.RunAsync(shorter with { Runs = 1, PatientLevels = [.. options.PatientLevels.Where(level => level <= 100_000)] });
        await GrainMemorySuite.RunAsync(options with { Runs = 1 });
        await LakeBenchmark.RunAsync(options.Runs);
        return 0;
    case "lake":
        await LakeBenchmark.RunAsync(runs: args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[1], CultureInfo.InvariantCulture) : options.Runs);
        return 0;
    case "micro":
        return MicroSuite.Run(args[1..], options.Quick);
    case "bronze-freshness" when args.Length > 1:
        await BronzeFreshness.RunAsync(args[1]);
        return 0;
    default:
        Console.Error.WriteLine("""
            usage: HealthcareOrleans.Benchmarks <mode> [--quick] [--runs N] [--events N] [--seconds N] [--max-rate N] [--patients N,N,...] [--grains N] [--silo PATH] [--silo-setting KEY=VALUE]
              baseline          single-threaded reference: decode + Silver rules + Parquet in memory (events/s)
              e2e               baseline, then the real silo process draining a pre-produced backlog (events/s, CPU, RSS,
                                bytes allocated per event, GC pause share)
              eventhubs         the e2e Kafka path, then the Event Hubs generator path (the same pipeline behind Orleans'
                                Event Hubs provider, in-process, no warehouse, no AMQP endpoint) over the same events;
                                needs HC_TEST_AZURITE_CONNECTION with a TableEndpoint for the checkpoints
              latency           probe latency at 1k, 10k and 80 % of max events/s (--max-rate N, else measured)
              scaling           throughput while the silo drains --patients distinct patients (10,000, 100,000, 1,000,000;
                                with --quick 2,000, 10,000), then probe latency at 1k events/s on that silo; levels of
                                1,000,000 or more run once unless --runs is given (about a quarter of an hour each)
              grain-memory      bytes per resident idle patient grain, in-process silo, --grains N (100,000; --quick 10,000)
              grain-storage     GrainStateLogStorage alone: reads and writes per second, CPU and bytes allocated per operation
              all               e2e (with its baseline), latency at 80 % of the max it measured (15 s per rate),
                                scaling at the levels up to 100,000 (once, 15 s), grain-memory (once), lake: within 15 minutes
            --quick: small sizes and one run of each (a smoke test of the harness, not figures).
              lake [runs]       Delta append, commit latency, table open
              micro [BenchmarkDotNet args]
                                BenchmarkDotNet: decoder per event, PatientIntake over one stay, Delta append vs Parquet.Net,
                                commit latency, table open after 1,000/10,000 commits (not part of all); e.g. micro --filter '*Decoder*';
                                with --quick a short in-process job (about a minute, not figures)
              bronze-freshness <lake folder>
            The engine modes start silo/bin/Release/net10.0/HealthcareOrleans.Silo.dll: build it first (dotnet build -c Release silo).
            """);
        return 2;
}
