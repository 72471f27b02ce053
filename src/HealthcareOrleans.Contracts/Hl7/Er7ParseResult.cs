namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>A parsed message, or why the bytes are not one: a rejection reason and a human detail.</summary>
public readonly record struct Er7ParseResult(Er7Message? Message, string? Reason, string? Detail)
{
    public static Er7ParseResult Failed(string reason, string detail) => new(null, reason, detail);
}
