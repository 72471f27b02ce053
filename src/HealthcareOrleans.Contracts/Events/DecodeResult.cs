namespace HealthcareOrleans.Contracts.Events;

/// <summary>
/// The outcome of decoding one message: one event, two (a flat admission record that also carries its discharge),
/// or a rejection with its machine-readable reason and a human detail.
/// </summary>
public readonly record struct DecodeResult(PatientFlowEvent? Event, PatientFlowEvent? FollowUp, string? RejectionReason, string? Detail)
{
    public bool IsAccepted => Event is not null;

    public static DecodeResult Accepted(PatientFlowEvent evt, PatientFlowEvent? followUp = null) => new(evt, followUp, null, null);

    public static DecodeResult Rejected(string reason, string detail) => new(null, null, reason, detail);
}
