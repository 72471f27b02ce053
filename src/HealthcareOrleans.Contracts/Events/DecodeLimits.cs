namespace HealthcareOrleans.Contracts.Events;

/// <summary>Input limits enforced before and while decoding: a hostile or broken producer must not cost memory.</summary>
public sealed record DecodeLimits
{
    public static DecodeLimits Default { get; } = new();

    /// <summary>Largest accepted message. Event Hubs caps a Kafka request near 1 MB; a single ADT event is well under 4 KiB.</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024;

    public int MaxFieldLength { get; init; } = 256;

    /// <summary>How many fields this version does not know may ride along (kept for schema evolution).</summary>
    public int MaxUnknownFields { get; init; } = 32;

    /// <summary>How far an event may lie after the broker's append time: producers' clocks drift, but not by hours.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    public DateTimeOffset EarliestOccurredAt { get; init; } = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int NewestSchemaVersion { get; init; } = 1;

    /// <summary>Segments in one HL7 v2 message; a large real ADT message has about 60 (insurance, allergies, diagnoses).</summary>
    public int MaxHl7Segments { get; init; } = 500;

    /// <summary>
    /// Characters in one HL7 v2 field as written. Fields are longer than JSON values (a note, a repeated identifier
    /// list); values the engine keeps are still bound by <see cref="MaxFieldLength"/>.
    /// </summary>
    public int MaxHl7FieldLength { get; init; } = 16 * 1024;
}
