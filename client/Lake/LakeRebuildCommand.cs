using System.CommandLine;
using System.Globalization;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Rebuild;

namespace HealthcareOrleans.Client.Lake;

/// <summary><c>hc lake rebuild</c>: Silver and Gold recomputed from Bronze, into a separate lake.</summary>
public static class LakeRebuildCommand
{
    public static Command Create()
    {
        var into = new Option<string?>("--into") { Description = "Folder of the new lake (default: beside the lake, named lake-rebuilt-<time>)" };
        var layout = new Option<FileInfo?>("--layout") { Description = "Hospital layout JSON the engine runs with (default: the built-in one)" };
        var fromVersion = new Option<long>("--from-version") { Description = "First Bronze version to recompute from (default 1: all of Bronze)", DefaultValueFactory = _ => 1 };
        var command = new Command("rebuild", "Recompute Silver and Gold from Bronze into a new lake; the live lake is not touched") { into, layout, fromVersion };
        command.SetAction((parse, ct) => LakeCommands.RunAsync(parse, async source =>
        {
            var targetFolder = parse.GetValue(into) ?? DefaultTarget(source);
            if (Directory.Exists(targetFolder) && Directory.EnumerateFileSystemEntries(targetFolder).Any())
            {
                throw new IOException($"{Path.GetFullPath(targetFolder)} is not empty; name an empty or new folder with --into.");
            }

            Directory.CreateDirectory(targetFolder);
            var hospital = parse.GetValue(layout) is { } file ? HospitalLayout.LoadFile(file.FullName) : HospitalLayout.Default;
            var json = parse.GetValue(GlobalOptions.Json);
            var progress = new Progress<string>(step =>
            {
                if (!json)
                {
                    Console.Error.WriteLine(step);
                }
            });
            var result = await new MedallionRebuild(source, new LocalLakeStorage(targetFolder), hospital, TimeProvider.System).RunAsync(parse.GetValue(fromVersion), progress, ct);
            if (json)
            {
                CliOutput.WriteJson(Console.Out, new { Lake = Path.GetFullPath(targetFolder), result.BronzeVersion, result.BronzeRecords, result.Patients, Gold = result.GoldTables });
                return;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Rebuilt Silver and Gold from Bronze version {result.BronzeVersion} ({result.BronzeRecords:N0} records, {result.Patients:N0} patients) into {Path.GetFullPath(targetFolder)}"));
            Console.WriteLine("Compare with `hc lake read <table> --lake <folder>`; to adopt it, stop the silo and swap the folders.");
        }));
        return command;
    }

    private static string DefaultTarget(ILakeStorage source) =>
        source is LocalLakeStorage
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source.Location.TrimEnd('/', Path.DirectorySeparatorChar)))!, "lake-rebuilt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture))
            : throw new ArgumentException("The lake is in Azure Blob Storage: name a local folder for the rebuilt lake with --into.");
}
