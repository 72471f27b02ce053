using System.Text.Json;
using System.Text.Json.Serialization;

namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// The topic value as JSON, before validation. It is the union of the engine's ADT event and the flat admission
/// record of the classic design, so one parse serves both; timestamps stay text so a bad one gets its own reason.
/// </summary>
public sealed class PatientFlowDocument
{
    public string? EventId { get; set; }
    public string? EventType { get; set; }
    public string? OccurredAt { get; set; }
    public string? HospitalId { get; set; }
    public string? PatientId { get; set; }
    public string? EncounterId { get; set; }
    public string? WardId { get; set; }
    public string? FromWardId { get; set; }
    public string? BedId { get; set; }
    public string? Department { get; set; }
    public int? Acuity { get; set; }
    public PatientDemographicsDocument? Patient { get; set; }
    public int? SchemaVersion { get; set; }

    // The flat admission record of the classic design.
    public string? Gender { get; set; }
    public int? Age { get; set; }
    public string? AdmissionTime { get; set; }
    public string? DischargeTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}

public sealed class PatientDemographicsDocument
{
    public string? Gender { get; set; }
    public string? BirthDate { get; set; }
    public int? Age { get; set; }
    public string? PostalCode { get; set; }
    public string? Payer { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    MaxDepth = 8)]
[JsonSerializable(typeof(PatientFlowDocument))]
public sealed partial class PatientFlowJsonContext : JsonSerializerContext;
