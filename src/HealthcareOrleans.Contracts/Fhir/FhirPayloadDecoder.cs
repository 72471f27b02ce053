using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Contracts.Fhir;

/// <summary>The FHIR R4 decoder behind <see cref="PatientFlowDecoder"/>'s format seam: a topic value carrying <c>resourceType</c>.</summary>
public sealed class FhirPayloadDecoder(DecodeLimits limits, string? defaultHospitalId = null) : IPayloadDecoder
{
    private readonly FhirEncounterMapper _mapper = new(limits, defaultHospitalId);

    /// <summary>The intake decoder for every wire format: what the silo, the rebuild and the ingress all use, so they decide alike.</summary>
    public static PatientFlowDecoder Intake(DecodeLimits limits) => new(limits, new FhirPayloadDecoder(limits));

    public DecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset appendedAt)
    {
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return DecodeResult.Rejected(RejectionReasons.Oversize, $"{payload.Length} bytes, limit {limits.MaxPayloadBytes}");
        }

        var mapped = _mapper.Map(payload, appendedAt);
        return mapped.IsAccepted
            ? DecodeResult.Accepted(mapped.Events.Select(e => e with { SourceFormat = SourceFormats.FhirR4 }).ToList())
            : DecodeResult.Rejected(mapped.RejectionReason!, mapped.Expression is null ? mapped.Detail! : $"{mapped.Detail} ({mapped.Expression})");
    }
}
