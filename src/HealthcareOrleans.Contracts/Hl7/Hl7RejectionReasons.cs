namespace HealthcareOrleans.Contracts.Hl7;

/// <summary>
/// Reasons an HL7 v2 message is refused, beside the shared ones (<c>oversize</c>, <c>missing_field:&lt;SEG-n&gt;</c>,
/// <c>field_too_long:&lt;SEG-n&gt;</c>, <c>bad_timestamp:&lt;SEG-n&gt;</c>, <c>future_timestamp:&lt;SEG-n&gt;</c>): HL7 input
/// names the field as the standard does (PID-3), so an interface analyst can find it in the message.
/// </summary>
public static class Hl7RejectionReasons
{
    /// <summary>Not readable as ER7: separators, segment names, escapes, characters; the detail says where.</summary>
    public const string MalformedHl7 = "malformed_hl7";

    public const string TooManySegments = "too_many_segments";

    /// <summary>MSH-12 outside 2.3 – 2.8.</summary>
    public const string UnsupportedVersion = "unsupported_hl7_version";

    /// <summary>MSH-9.1 other than ADT: <c>unsupported_message_type:ORU</c>.</summary>
    public const string UnsupportedMessageType = "unsupported_message_type";

    /// <summary>An ADT trigger the mapping does not take: <c>unsupported_trigger:A40</c>.</summary>
    public const string UnsupportedTrigger = "unsupported_trigger";

    /// <summary>Not a decoding outcome: the MLLP listener could not get the message into the broker (answered AR, send again).</summary>
    public const string BrokerUnavailable = "broker_unavailable";
}
