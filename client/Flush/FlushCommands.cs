using System.CommandLine;
using System.Globalization;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Contracts.Lake;
using Spectre.Console;

namespace HealthcareOrleans.Client.Flush;

/// <summary><c>hc flush status</c> and <c>hc flush run &lt;layer&gt;</c>: the lake's scheduled writes, as Data Factory showed them.</summary>
public static class FlushCommands
{
    public static Command Create() => new("flush", "Lake flushes: status per table, or run a layer now")
    {
        StatusCommand(),
        RunCommand(),
    };

    private static Command StatusCommand()
    {
        var command = new Command("status", "Show each lake table's last flush, backlog, lag and errors");
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            var statuses = await connection.Client.GetGrain<ILakeStatusGrain>(0).GetAsync();
            Write(parse, statuses);
            // Exit code 4: some table's last attempt failed, so scripts and probes can tell without parsing.
            return statuses.Any(s => s.ConsecutiveFailures > 0) ? 4 : 0;
        });
        return command;
    }

    private static Command RunCommand()
    {
        var layer = new Argument<string>("layer") { Description = $"The layer to flush now: {string.Join(", ", LakeLayers.All)}" };
        layer.AcceptOnlyFromAmong([.. LakeLayers.All]);
        var command = new Command("run", "Flush a layer now (Bronze: on every silo) and show the result") { layer };
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            IReadOnlyList<FlushStatus> statuses;
            try
            {
                statuses = await connection.Client.GetGrain<ILakeFlushGrain>(parse.GetValue(layer)!).FlushNowAsync();
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 4;
            }

            Write(parse, statuses);
            return 0;
        });
        return command;
    }

    private static void Write(ParseResult parse, IReadOnlyList<FlushStatus> statuses)
    {
        if (parse.GetValue(GlobalOptions.Json))
        {
            CliOutput.WriteJson(Console.Out, statuses);
            return;
        }

        if (statuses.Count == 0)
        {
            Console.Error.WriteLine("No flush has reported yet (the lake may be off, or the silos started less than one flush interval ago).");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Layer").AddColumn("Table").AddColumn("Writer").AddColumn("Last success (UTC)")
            .AddColumn(new TableColumn("Took").RightAligned()).AddColumn(new TableColumn("Rows last").RightAligned())
            .AddColumn(new TableColumn("Rows total").RightAligned()).AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn(new TableColumn("Pending").RightAligned()).AddColumn(new TableColumn("Lag").RightAligned())
            .AddColumn("Failures").AddColumn("Next attempt (UTC)");
        foreach (var s in statuses)
        {
            var failures = s.ConsecutiveFailures == 0
                ? "-"
                : $"[red]{s.ConsecutiveFailures}× {Markup.Escape(s.LastError ?? string.Empty)}[/]";
            table.AddRow(
                Markup.Escape(s.Layer), Markup.Escape(s.Table), Markup.Escape(s.Writer ?? "-"), Seconds(s.LastSuccessAt),
                Duration(s.LastDuration), Number(s.RowsLastFlush), Number(s.RowsTotal), s.TableVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Number(s.Pending), Duration(s.Lag), failures, Seconds(s.NextAttemptAt));
        }

        AnsiConsole.Write(table);
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(DateTimeOffset? value) =>
        value is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    private static string Duration(TimeSpan? value) => value switch
    {
        null => "-",
        { TotalSeconds: < 1 } d => $"{d.TotalMilliseconds:0} ms",
        { TotalMinutes: < 2 } d => $"{d.TotalSeconds:0.0} s",
        var d => $"{d.Value.TotalMinutes:0} min",
    };
}
