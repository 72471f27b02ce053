using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>One accepted event for <c>silver/patient_flow_events</c>, with where it came from.</summary>
/// <param name="SourceFormat">The wire format of the message (<see cref="Contracts.Events.SourceFormats"/>).</param>
public sealed record SilverEventRow(CleanEvent Event, string PatientId, int SchemaVersion, DateTimeOffset AppendedAt, string SourceFormat);

/// <summary>One refused message (or message part) for <c>silver/quarantine</c>.</summary>
public sealed record QuarantineRow(
    byte[] Payload, string Reason, string? Detail, DateTimeOffset ReceivedAt, string Topic, int Partition, long Offset, int Part, string SourceId);
