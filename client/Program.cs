using System.CommandLine;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Flush;
using HealthcareOrleans.Client.Lake;
using HealthcareOrleans.Client.Live;
using HealthcareOrleans.Client.Simulate;
using HealthcareOrleans.Client.Warehouse;

// Redirected output (a pipe, a file, a CI log) has no terminal width; tables would wrap at 80 columns.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 160;
}

// Lake commands write lake files (optimize, vacuum, rebuild): owner-only like the silo's.
HealthcareOrleans.Lake.Storage.OwnerOnlyFiles.RestrictNewFiles();

var root = new RootCommand("hc: query the live state of HealthcareOrleans, drive the simulator, inspect the lake");
GlobalOptions.AddTo(root);
foreach (var command in LiveCommands.Create())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(LakeCommands.Create());
root.Subcommands.Add(FlushCommands.Create());
root.Subcommands.Add(WarehouseCommands.Create());
root.Subcommands.Add(HealthcareOrleans.Client.Broker.BrokerCommand.Create());
root.Subcommands.Add(HealthcareOrleans.Client.Hl7.Hl7Commands.Create());
root.Subcommands.Add(HealthcareOrleans.Client.Cluster.LocalClusterCommand.Create());
root.Subcommands.Add(HealthcareOrleans.Client.Replay.ReplayCommand.Create());

try
{
    // No forced exit two seconds after Ctrl-C/SIGTERM: `hc cluster` then stops its silos gracefully, which takes longer.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
}
catch (ClusterUnavailableException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (OperationCanceledException)
{
    return 130;
}
