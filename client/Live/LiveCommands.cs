using System.CommandLine;
using HealthcareOrleans.Client.Connection;
using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using Spectre.Console;

namespace HealthcareOrleans.Client.Live;

/// <summary>Commands that read live grain state: patient, ward, census, status.</summary>
public static class LiveCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return PatientCommand();
        yield return WardCommand();
        yield return CensusCommand();
        yield return StatusCommand();
    }

    private static Command PatientCommand()
    {
        var id = new Argument<string>("patient-id") { Description = "The patient id (the Kafka key)" };
        var command = new Command("patient", "Show a patient's live state, journey and SCD2 history") { id };
        command.SetAction(async (parse, ct) =>
        {
            var patientId = parse.GetValue(id) ?? string.Empty;
            if (PatientIdProblem(patientId) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }

            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            var patient = await connection.Client.GetGrain<IPatientGrain>(patientId).GetAsync();
            if (patient is null)
            {
                Console.Error.WriteLine("No event for this patient has been applied.");
                return 3;
            }

            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, patient);
                return 0;
            }

            LiveTables.WritePatient(patient);
            return 0;
        });
        return command;
    }

    /// <summary>Why <paramref name="patientId"/> cannot name a patient (the decoder admits no such id), or null.</summary>
    internal static string? PatientIdProblem(string patientId) =>
        string.IsNullOrWhiteSpace(patientId) ? "hc patient: the patient id is empty or blank."
        : IdentifierText.HasForbiddenCharacter(patientId) ? $"hc patient: the patient id '{IdentifierText.ForDisplay(patientId)}' contains a control or bidirectional-override character; no patient can have it."
        : null;

    private static Command WardCommand()
    {
        var id = new Argument<string>("ward-id") { Description = "The ward id, e.g. RGH-AMU" };
        var command = new Command("ward", "Show a ward's census and occupants") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            WardCensus ward;
            try
            {
                ward = await connection.Client.GetGrain<IWardGrain>(parse.GetValue(id)!.Trim().ToUpperInvariant()).GetCensusAsync(includeOccupants: true);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message.Split(" (Parameter", 2)[0]);
                return 3;
            }

            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, ward);
                return 0;
            }

            LiveTables.WriteWard(ward);
            return 0;
        });
        return command;
    }

    private static Command CensusCommand()
    {
        var hospital = new Option<string?>("--hospital") { Description = "Only this hospital's wards" };
        var command = new Command("census", "Occupancy of every ward now") { hospital };
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            var census = await connection.Client.GetGrain<ICensusGrain>(0).GetAsync(parse.GetValue(hospital));
            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, new { census.ComputedAt, census.Beds, census.Occupied, census.Waiting, census.Wards });
                return 0;
            }

            LiveTables.WriteCensus(census);
            return 0;
        });
        return command;
    }

    private static Command StatusCommand()
    {
        var command = new Command("status", "Engine health: silos, broker, partitions, throughput, rejections");
        command.SetAction(async (parse, ct) =>
        {
            await using var connection = await GlobalOptions.ConnectAsync(parse, ct);
            var status = await connection.Client.GetGrain<IEngineStatusGrain>(0).GetAsync();
            if (parse.GetValue(GlobalOptions.Json))
            {
                CliOutput.WriteJson(Console.Out, new { status.EventsApplied, status.MessagesRejected, status.MessagesSkipped, status.EventsPerSecond, status.Lag, status.Durability, status.Silos });
                return 0;
            }

            LiveTables.WriteStatus(status);
            return 0;
        });
        return command;
    }
}
