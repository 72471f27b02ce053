using System.CommandLine;
using System.Globalization;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Simulation.Replay.Mimic;
using Spectre.Console;

namespace HealthcareOrleans.Client.Replay;

/// <summary><c>hc replay mimic</c>: a real (de-identified) hospital's flow as a layout and an HL7 v2 ADT feed.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var demo = new Argument<DirectoryInfo>("demo-dir") { Description = "The MIMIC-IV demo's root folder (holding hosp/transfers.csv.gz and hosp/patients.csv.gz)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write layout.json, adt.hl7 and manifest.json into", Required = true };
        var mimic = new Command("mimic", "Convert the MIMIC-IV demo into a hospital layout and HL7 v2 ADT messages (dates shifted into the past)") { demo, output };
        mimic.SetAction(parse =>
        {
            var source = parse.GetValue(demo)!;
            var target = parse.GetValue(output)!;
            var json = parse.GetValue(GlobalOptions.Json);
            MimicReplaySummary summary;
            if (json || Console.IsErrorRedirected)
            {
                summary = MimicReplayConverter.Convert(source.FullName, target.FullName, DateTimeOffset.UtcNow);
            }
            else
            {
                summary = null!;
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("Writing ADT messages");
                        summary = MimicReplayConverter.Convert(source.FullName, target.FullName, DateTimeOffset.UtcNow,
                            new SynchronousProgress(p => { task.MaxValue = p.Total; task.Value = p.Done; }));
                    });
            }

            if (json)
            {
                CliOutput.WriteJson(Console.Out, summary);
                return 0;
            }

            var folder = target.FullName;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Patients:N0} patients, {summary.Encounters:N0} encounters, {summary.Messages:N0} messages ({string.Join(", ", summary.MessagesByTrigger.Select(t => $"{t.Key} {t.Value:N0}"))}), {summary.Wards} wards"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Dates shifted per patient by whole weeks ({summary.ShiftDaysByPatient.Values.Min():N0} to {summary.ShiftDaysByPatient.Values.Max():N0} days; every interval of a patient kept to the second): "
                + $"{summary.FirstOriginal:yyyy-MM-dd HH:mm:ss} .. {summary.LastOriginal:yyyy-MM-dd HH:mm:ss} became {summary.FirstShifted:yyyy-MM-dd HH:mm:ss} .. {summary.LastShifted:yyyy-MM-dd HH:mm:ss} UTC; each patient's shift is in {MimicReplayConverter.ManifestFile}"));
            Console.WriteLine($"Wrote {Path.Combine(folder, MimicReplayConverter.LayoutFile)} and {Path.Combine(folder, MimicReplayConverter.AdtFile)}");
            return 0;
        });
        return new Command("replay", "Turn public hospital data into a feed the engine reads") { mimic };
    }

    /// <summary>Reports on the converting thread: Progress&lt;T&gt; would post to the thread pool and lag behind the bar.</summary>
    private sealed class SynchronousProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }
}
