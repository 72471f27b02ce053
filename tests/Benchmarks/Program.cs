using HealthcareOrleans.Benchmarks;

// One mode per area; others add their own case. Usage: dotnet run -c Release --project tests/Benchmarks -- <mode>
switch (args.FirstOrDefault())
{
    case "lake":
        await LakeBenchmark.RunAsync(runs: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
        return 0;
    case "bronze-freshness" when args.Length > 1:
        await BronzeFreshness.RunAsync(args[1]);
        return 0;
    default:
        Console.Error.WriteLine("usage: HealthcareOrleans.Benchmarks <mode>   modes: lake [runs] | bronze-freshness <lake folder>");
        return 2;
}
