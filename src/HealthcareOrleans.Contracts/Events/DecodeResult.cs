namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// The outcome of decoding one message: its events in message order (one for an ADT event, two for a flat admission
/// record that also carries its discharge, several for a FHIR Bundle or an Encounter's location history), or a
/// rejection with its machine-readable reason and a human detail. An accepted message has at least one event.
/// </summary>
public readonly record struct DecodeResult
{
    private readonly PatientFlowEvent[]? _events;

    private DecodeResult(PatientFlowEvent[]? events, string? rejectionReason, string? detail)
    {
        _events = events;
        RejectionReason = rejectionReason;
        Detail = detail;
    }

    public IReadOnlyList<PatientFlowEvent> Events => _events ?? [];

    /// <summary>The first event, or null when rejected: the one routing an unkeyed message to its patient.</summary>
    public PatientFlowEvent? Event => _events is { Length: > 0 } events ? events[0] : null;

    public string? RejectionReason { get; }

    public string? Detail { get; }

    public bool IsAccepted => _events is { Length: > 0 };

    public static DecodeResult Accepted(PatientFlowEvent evt) => new([evt], null, null);

    public static DecodeResult Accepted(IReadOnlyList<PatientFlowEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        return new([.. events], null, null);
    }

    public static DecodeResult Rejected(string reason, string detail) => new(null, reason, detail);
}
