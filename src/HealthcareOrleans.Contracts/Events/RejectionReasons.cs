namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// Machine-readable reasons a message is quarantined. A reason is a code, optionally followed by ':' and the field
/// it concerns (<c>missing_field:patient_id</c>), so dashboards can group by the code and people can act on the field.
/// </summary>
public static class RejectionReasons
{
    public const string MalformedJson = "malformed_json";
    public const string NotAnObject = "not_an_object";
    public const string Oversize = "oversize";
    public const string TooManyFields = "too_many_fields";
    public const string FieldTooLong = "field_too_long";
    public const string MissingField = "missing_field";
    public const string WrongType = "wrong_type";
    public const string BadTimestamp = "bad_timestamp";
    public const string FutureTimestamp = "future_timestamp";
    public const string UnknownEventType = "unknown_event_type";
    public const string BadValue = "bad_value";
    public const string UnsupportedSchemaVersion = "unsupported_schema_version";

    /// <summary>A wire format this decoder recognises but does not accept: <c>unsupported_format:fhir</c>.</summary>
    public const string UnsupportedFormat = "unsupported_format";

    // Raised by Silver cleansing in the patient grain, where the hospital layout and the patient's history are known.
    public const string UnknownHospital = "unknown_hospital";
    public const string UnknownWard = "unknown_ward";
    public const string UnknownDepartment = "unknown_department";
    public const string KeyMismatch = "key_mismatch";
    public const string ImpossibleTime = "impossible_time";
    public const string TooLate = "too_late";
    public const string ConflictingDuplicate = "conflicting_duplicate";

    public static string For(string code, string field) => code + ":" + field;

    /// <summary>The code part of a reason: <c>missing_field</c> for <c>missing_field:patient_id</c>.</summary>
    public static string CodeOf(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? reason : reason[..colon];
    }
}
