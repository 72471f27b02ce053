namespace HealthcareOrleans.Contracts.Events;

/// <summary>Demographics as a producer sent them; every field is optional because feeds send partial updates.</summary>
[GenerateSerializer, Immutable, Alias("hc.demographics")]
public sealed record PatientDemographics(
    [property: Id(0)] string? Gender,
    [property: Id(1)] DateOnly? BirthDate,
    [property: Id(2)] int? Age,
    [property: Id(3)] string? PostalCode,
    [property: Id(4)] string? Payer);
