using System.Text.Json.Serialization;

namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>Writes extension values (raw JSON text, as the JSON contract keeps unknown fields).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class Hl7JsonContext : JsonSerializerContext;
