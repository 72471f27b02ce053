using HealthcareOrleans.Client.Connection;
using System.CommandLine;
using System.Globalization;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Maintenance;
using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Client.Lake;

/// <summary>`hc lake ...`: list the lake's Delta tables, their history, read them (with time travel), optimize and vacuum.</summary>
public static class LakeCommands
{
    private static readonly Option<string?> LakeOption = new("--lake") { Description = "Lake root folder (default $HC_DATA_DIR/lake, HC_DATA_DIR defaults to ./data)" };
    private static readonly Option<string?> ConnectionOption = new("--lake-connection") { Description = "Azure Blob Storage connection string (default env HC_LAKE_CONNECTION); the lake is then in --lake-container" };
    private static readonly Option<string> ContainerOption = new("--lake-container") { Description = "Blob container holding the lake", DefaultValueFactory = _ => "lake" };
    private static readonly Argument<string> TableArgument = new("table") { Description = "Table path relative to the lake root, e.g. bronze/patient_flow_raw" };

    public static Command Create()
    {
        Command lake = new("lake", "Inspect and maintain the Delta Lake tables (bronze, silver, gold)");
        foreach (var option in new Option[] { LakeOption, ConnectionOption, ContainerOption })
        {
            option.Recursive = true;
            lake.Options.Add(option);
        }

        lake.Subcommands.Add(Tables());
        lake.Subcommands.Add(History());
        lake.Subcommands.Add(Read());
        lake.Subcommands.Add(Optimize());
        lake.Subcommands.Add(Vacuum());
        lake.Subcommands.Add(LakeRebuildCommand.Create());
        return lake;
    }

    private static Command Tables()
    {
        Command command = new("tables", "List every table (folder with a _delta_log) with its version, files and rows");
        command.SetAction((parse, ct) => RunAsync(parse, async storage =>
        {
            List<TableSummary> tables = [];
            foreach (var path in await LakeCatalog.ListTablesAsync(storage, cancellationToken: ct))
            {
                try
                {
                    var table = await DeltaTable.OpenAsync(storage, path, cancellationToken: ct);
                    tables.Add(new TableSummary(path, table.Version, table.Snapshot.ActiveFiles.Count, table.Snapshot.RowCount, table.Snapshot.ActiveFiles.Sum(f => f.Size), table.Snapshot.Timestamp, null));
                }
                catch (DeltaException e)
                {
                    // One unreadable table must not hide the others.
                    tables.Add(new TableSummary(path, -1, 0, null, 0, null, e.Message));
                }
            }

            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, tables);
                return;
            }

            TextTable.Write(Console.Out, ["TABLE", "VERSION", "FILES", "ROWS", "BYTES", "LAST COMMIT"], tables.Select(t => t.Error is { } error
                ? [t.Table, "-", "-", "-", "-", "unreadable: " + error]
                : new[] { t.Table, Text(t.Version), Text(t.Files), t.Rows is { } r ? Text(r) : "?", Text(t.Bytes), CliOutput.Time(t.LastCommit) }));
        }));
        return command;
    }

    private static Command History()
    {
        Option<int?> limit = new("--limit") { Description = "Show only the newest N versions" };
        Command command = new("history", "Show the versions of a table, newest first") { TableArgument, limit };
        command.SetAction((parse, ct) => RunAsync(parse, async storage =>
        {
            var table = await DeltaTable.OpenAsync(storage, parse.GetValue(TableArgument)!, cancellationToken: ct);
            var history = await table.HistoryAsync(parse.GetValue(limit), ct);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, history);
                return;
            }

            TextTable.Write(Console.Out, ["VERSION", "TIMESTAMP (UTC)", "OPERATION", "ADDED", "REMOVED", "ROWS", "PARAMETERS"], history.Select(h => new[]
            {
                Text(h.Version),
                h.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                h.Operation ?? "-",
                Text(h.AddedFiles),
                Text(h.RemovedFiles),
                h.OperationMetrics.TryGetValue("numOutputRows", out var rows) ? rows : "-",
                string.Join(" ", h.OperationParameters.Select(kv => kv.Key + "=" + kv.Value).Concat(h.ApplicationVersions.Select(kv => "txn:" + kv.Key + "=" + Text(kv.Value)))),
            }));
        }));
        return command;
    }

    private static Command Read()
    {
        Option<long?> version = new("--version") { Description = "Read the table as of this version" };
        Option<DateTimeOffset?> timestamp = new("--timestamp") { Description = "Read the table as of this time (ISO 8601, e.g. 2026-11-25T10:00:00Z)" };
        Option<int> limit = new("--limit") { Description = "Print at most K rows", DefaultValueFactory = _ => 20 };
        Command command = new("read", "Print the rows of a table, now or as of a version or time") { TableArgument, version, timestamp, limit };
        command.Validators.Add(result =>
        {
            if (result.GetValue(version) is not null && result.GetValue(timestamp) is not null)
            {
                result.AddError("Use --version or --timestamp, not both.");
            }

            if (result.GetValue(limit) < 0)
            {
                result.AddError("--limit must not be negative.");
            }
        });
        command.SetAction((parse, ct) => RunAsync(parse, async storage =>
        {
            var table = await DeltaTable.OpenAsync(storage, parse.GetValue(TableArgument)!, cancellationToken: ct);
            var snapshot = parse.GetValue(version) is { } v ? await table.GetSnapshotAsync(v, ct)
                : parse.GetValue(timestamp) is { } t ? await table.GetSnapshotAtAsync(t, ct)
                : table.Snapshot;
            // Nested columns (struct/array/map) written by other engines are left out: this reader holds primitive values only.
            var columns = snapshot.Schema.Fields.Where(f => f.Type.IsPrimitive).Select(f => f.Name).ToList();
            var max = parse.GetValue(limit);
            List<IReadOnlyDictionary<string, object?>> rows = [];
            await foreach (var batch in table.ReadFilesAsync(snapshot, columns, ct))
            {
                rows.AddRange(batch.Rows.Take(max - rows.Count).Select(r => (IReadOnlyDictionary<string, object?>)r.ToDictionary()
                    .ToDictionary(kv => kv.Key, kv => kv.Value is byte[] bytes ? PayloadText.Of(bytes) : kv.Value, StringComparer.OrdinalIgnoreCase)));
                if (rows.Count >= max)
                {
                    break;
                }
            }

            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, rows);
                return;
            }

            Console.WriteLine($"{parse.GetValue(TableArgument)} version {snapshot.Version} ({CliOutput.Time(snapshot.Timestamp)} UTC), {rows.Count} row(s) shown");
            TextTable.Write(Console.Out, [.. columns], rows.Select(r => columns.Select(c => Value(r[c])).ToArray()));
        }));
        return command;
    }

    private static Command Optimize()
    {
        Command command = new("optimize", "Compact the small files of each partition (data unchanged, one commit)") { TableArgument };
        command.SetAction((parse, ct) => RunAsync(parse, async storage =>
        {
            var table = await DeltaTable.OpenAsync(storage, parse.GetValue(TableArgument)!, cancellationToken: ct);
            var result = await table.OptimizeAsync(cancellationToken: ct);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, result);
                return;
            }

            Console.WriteLine(result.Committed
                ? $"Compacted {result.FilesRemoved} files into {result.FilesAdded} in {result.PartitionsCompacted} partition(s): version {result.Version}."
                : $"Nothing to compact at version {result.Version}.");
        }));
        return command;
    }

    private static Command Vacuum()
    {
        Option<double?> retainHours = new("--retain-hours") { Description = "Keep files needed by versions of the last H hours (default: the table's retention, 168)" };
        Option<bool> dryRun = new("--dry-run") { Description = "List the files that would be deleted, delete nothing" };
        Command command = new("vacuum", "Delete data files no retained version needs (and orphans of crashed writers)") { TableArgument, retainHours, dryRun };
        command.SetAction((parse, ct) => RunAsync(parse, async storage =>
        {
            var table = await DeltaTable.OpenAsync(storage, parse.GetValue(TableArgument)!, cancellationToken: ct);
            var hours = parse.GetValue(retainHours);
            var result = await table.VacuumAsync(new VacuumOptions { Retention = hours is { } h ? TimeSpan.FromHours(h) : null, DryRun = parse.GetValue(dryRun) }, ct);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, result);
                return;
            }

            foreach (var file in result.DeletedFiles)
            {
                Console.WriteLine((result.DryRun ? "would delete " : "deleted ") + file);
            }

            Console.WriteLine($"{(result.DryRun ? "Would delete" : "Deleted")} {result.DeletedFiles.Count} file(s), {result.DeletedBytes} bytes; kept {result.FilesKept}.");
        }));
        return command;
    }

    internal static async Task<int> RunAsync(ParseResult parse, Func<ILakeStorage, Task> action)
    {
        try
        {
            await action(await OpenStorageAsync(parse));
            return 0;
        }
        catch (Exception e) when (e is DeltaException or IOException or ArgumentException or Azure.RequestFailedException or NotSupportedException)
        {
            // One clear line, no stack trace: these errors say what is wrong and what to do.
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    internal static async Task<ILakeStorage> OpenStorageAsync(ParseResult parse)
    {
        var connection = parse.GetValue(ConnectionOption) ?? Environment.GetEnvironmentVariable("HC_LAKE_CONNECTION");
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return await AzureBlobLakeStorage.ConnectAsync(connection, parse.GetValue(ContainerOption)!);
        }

        var root = parse.GetValue(LakeOption)
            ?? Path.Combine(Environment.GetEnvironmentVariable("HC_DATA_DIR") is { Length: > 0 } dataDir ? dataDir : "./data", "lake");
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The lake folder {Path.GetFullPath(root)} does not exist. Pass --lake, set HC_DATA_DIR, or run the silo first.");
        }

        return new LocalLakeStorage(root);
    }

    private static string Value(object? value) => value switch
    {
        null => "null",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        // Keys and quarantined text come from producers: control and bidi characters are shown, never obeyed.
        string s => Shortened(IdentifierText.ForDisplay(s)),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Shortened(string text) => text.Length > 60 ? text[..57] + "..." : text;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record TableSummary(string Table, long Version, int Files, long? Rows, long Bytes, DateTimeOffset? LastCommit, string? Error);
}
