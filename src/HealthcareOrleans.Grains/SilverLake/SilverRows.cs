using HealthcareOrleans.Grains.Silver;

namespace HealthcareOrleans.Grains.SilverLake;

/// <summary>One accepted event for <c>silver/patient_flow_events</c>, with where it came from.</summary>
public sealed record SilverEventRow(CleanEvent Event, string PatientId, int SchemaVersion, DateTimeOffset AppendedAt);

/// <summary>One refused message (or message part) for <c>silver/quarantine</c>.</summary>
public sealed record QuarantineRow(
    byte[] Payload, string Reason, string? Detail, DateTimeOffset ReceivedAt, string Topic, int Partition, long Offset, int Part, string SourceId);
