namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// Decodes one wire format into events. Implementations must be pure (the result depends only on the bytes and the
/// broker's append time, so a rebuild from Bronze repeats every decision) and must never throw on any input.
/// </summary>
public interface IPayloadDecoder
{
    DecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset appendedAt);
}
