using System.Text.Json;

namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// Which decoder a topic value belongs to, decided strictly from its first bytes so that a rebuild decides alike:
/// ER7 begins with the MSH segment at the very first byte (MLLP framing is the transport's and never reaches the
/// topic; a leading BOM, blank or newline is not ER7); FHIR is a JSON object with a top-level <c>resourceType</c>;
/// everything else is the engine's JSON contract.
/// </summary>
public static class PayloadFormat
{
    private static ReadOnlySpan<byte> SegmentMsh => "MSH"u8;

    private static ReadOnlySpan<byte> ResourceTypeName => "resourceType"u8;

    public static bool IsHl7V2(ReadOnlySpan<byte> payload) => payload.StartsWith(SegmentMsh);

    /// <summary>
    /// True for a JSON object with a top-level <c>resourceType</c> property, whatever follows it (a resource broken
    /// further on is the FHIR decoder's to explain); the payload must be valid UTF-8.
    /// </summary>
    public static bool IsFhir(ReadOnlySpan<byte> utf8Json)
    {
        // One vectorised search keeps the cost off the common path: the engine's own events never carry the name.
        if (utf8Json.IndexOf(ResourceTypeName) < 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ResourceTypeName))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // JSON broken before any resourceType is the JSON decoder's to explain.
        }

        return false;
    }
}
