using HealthcareOrleans.Client.Output;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using Spectre.Console;

namespace HealthcareOrleans.Client.Live;

/// <summary>How live state reads at a terminal.</summary>
public static class LiveTables
{
    public static void WriteCensus(HospitalCensus census)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Ward").AddColumn("Name").AddColumn(new TableColumn("Beds").RightAligned())
            .AddColumn(new TableColumn("Occupied").RightAligned()).AddColumn(new TableColumn("Occupancy %").RightAligned())
            .AddColumn(new TableColumn("Waiting").RightAligned()).AddColumn(new TableColumn("Admitted today").RightAligned())
            .AddColumn(new TableColumn("Discharged today").RightAligned()).AddColumn("As of (UTC)");
        foreach (var ward in census.Wards)
        {
            table.AddRow(
                Markup.Escape(ward.WardId), Markup.Escape(ward.Name), N(ward.Beds), N(ward.Occupied), ward.OccupancyPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                N(ward.Waiting), N(ward.AdmissionsToday + ward.TransfersInToday), N(ward.DischargesToday + ward.TransfersOutToday), CliOutput.Time(ward.AsOf));
        }

        var percent = census.Beds == 0 ? 0 : 100.0 * census.Occupied / census.Beds;
        table.AddRow("[bold]Total[/]", string.Empty, N(census.Beds), N(census.Occupied), percent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), N(census.Waiting),
            N(census.Wards.Sum(w => w.AdmissionsToday + w.TransfersInToday)), N(census.Wards.Sum(w => w.DischargesToday + w.TransfersOutToday)), string.Empty);
        AnsiConsole.Write(table);
    }

    public static void WriteWard(WardCensus ward)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(ward.WardId)}[/] {Markup.Escape(ward.Name)} ({Markup.Escape(ward.Department)}, {Markup.Escape(ward.HospitalId)})");
        AnsiConsole.MarkupLine($"Beds {ward.Beds}, occupied {ward.Occupied} ({ward.OccupancyPercent:0.0} %), waiting {ward.Waiting}, as of {CliOutput.Time(ward.AsOf)} UTC");
        AnsiConsole.MarkupLine($"Today: {ward.ArrivalsToday} arrivals, {ward.AdmissionsToday} admissions, {ward.TransfersInToday} transfers in, {ward.TransfersOutToday} transfers out, {ward.DischargesToday} discharges; mean stay so far {ward.AverageLengthOfStayHours?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} h");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Bed").AddColumn("Patient").AddColumn("Status").AddColumn("Since (UTC)").AddColumn("Acuity");
        foreach (var occupant in ward.Occupants ?? [])
        {
            table.AddRow(Markup.Escape(occupant.BedId ?? "-"), Markup.Escape(IdentifierText.ForDisplay(occupant.PatientId)), occupant.Presence.ToString(), CliOutput.Time(occupant.Since), occupant.Acuity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        }

        AnsiConsole.Write(table);
    }

    public static void WritePatient(PatientView patient)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(IdentifierText.ForDisplay(patient.PatientId))}[/] {patient.Status} in {Markup.Escape(patient.WardId ?? patient.PendingWardId ?? "-")} bed {Markup.Escape(patient.BedId ?? "-")} ({Markup.Escape(patient.HospitalId ?? "-")}, {Markup.Escape(patient.Department ?? "-")})");
        AnsiConsole.MarkupLine($"Encounter {Markup.Escape(patient.EncounterId ?? "-")}: arrived {CliOutput.Time(patient.ArrivedAt)}, admitted {CliOutput.Time(patient.AdmittedAt)}, discharged {CliOutput.Time(patient.DischargedAt)}; acuity {patient.Acuity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}; {patient.EventsApplied} events applied, {patient.EventsRejected} rejected");

        var journey = new Table().Border(TableBorder.Rounded).Title("Journey").AddColumn("Encounter").AddColumn("Ward").AddColumn("Bed").AddColumn("Entered (UTC)").AddColumn("Left (UTC)");
        foreach (var stay in patient.Journey)
        {
            journey.AddRow(Markup.Escape(stay.EncounterId), Markup.Escape(stay.WardId), Markup.Escape(stay.BedId ?? "-"), CliOutput.Time(stay.EnteredAt), CliOutput.Time(stay.LeftAt));
        }

        AnsiConsole.Write(journey);
        var history = new Table().Border(TableBorder.Rounded).Title("Attribute history (SCD2)").AddColumn("Version").AddColumn("Gender").AddColumn("Age band")
            .AddColumn("Postal region").AddColumn("Payer").AddColumn("Valid from (UTC)").AddColumn("Valid to (UTC)");
        foreach (var version in patient.History)
        {
            var a = version.Attributes;
            history.AddRow(N(version.Version), Markup.Escape(a.Gender ?? "-"), Markup.Escape(a.AgeBand ?? "-"), Markup.Escape(a.PostalRegion ?? "-"),
                Markup.Escape(a.Payer ?? "-"), CliOutput.Time(version.ValidFrom), version.ValidTo is null ? "current" : CliOutput.Time(version.ValidTo));
        }

        AnsiConsole.Write(history);
    }

    public static void WriteStatus(EngineStatus status)
    {
        AnsiConsole.MarkupLine($"[bold]{status.Silos.Count}[/] silo(s); {status.EventsApplied:N0} events applied, {status.MessagesRejected:N0} rejected, {status.EventsPerSecond:N1} events/s now, lag {status.Lag:N0}");
        if (status.MessagesSkipped > 0)
        {
            AnsiConsole.MarkupLine($"[red]{status.MessagesSkipped:N0} messages were deleted by the broker before they were read (retention); see the silo log.[/]");
        }
        if (status.Durability is { } durability)
        {
            AnsiConsole.MarkupLine($"Durability: {(durability.Durable ? "[green]" : "[yellow]")}{Markup.Escape(durability.Statement)}[/]");
        }

        foreach (var broker in status.Silos.Select(s => s.BrokerAddress).Where(a => a is not null).Distinct())
        {
            AnsiConsole.MarkupLine($"Broker: [bold]{Markup.Escape(broker!)}[/] (any Kafka client can produce to topic patient-flow here)");
        }

        var partitions = new Table().Border(TableBorder.Rounded).AddColumn("Silo").AddColumn("Topic").AddColumn(new TableColumn("Partition").RightAligned())
            .AddColumn(new TableColumn("Next offset").RightAligned()).AddColumn(new TableColumn("End offset").RightAligned())
            .AddColumn(new TableColumn("Lag").RightAligned()).AddColumn(new TableColumn("Checkpoint").RightAligned()).AddColumn(new TableColumn("Skipped").RightAligned());
        foreach (var silo in status.Silos)
        {
            foreach (var p in silo.Partitions.OrderBy(p => p.Partition))
            {
                partitions.AddRow(Markup.Escape(silo.Silo), Markup.Escape(p.Topic), N(p.Partition), N(p.NextOffset), N(p.HighWatermark), N(p.Lag), p.CheckpointedOffset is { } c ? N(c) : "-", N(p.MessagesSkipped));
            }
        }

        AnsiConsole.Write(partitions);
        var reasons = status.Silos.SelectMany(s => s.RejectionsByReason).GroupBy(r => r.Key).Select(g => (Reason: g.Key, Count: g.Sum(r => r.Value))).OrderByDescending(r => r.Count).ToList();
        if (reasons.Count > 0)
        {
            var rejections = new Table().Border(TableBorder.Rounded).Title("Rejections").AddColumn("Reason").AddColumn(new TableColumn("Messages").RightAligned());
            foreach (var (reason, count) in reasons)
            {
                rejections.AddRow(Markup.Escape(reason), N(count));
            }

            AnsiConsole.Write(rejections);
        }
    }

    private static string N(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
