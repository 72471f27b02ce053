using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Ingestion.Mllp;

/// <summary>
/// One MLLP frame → one ACK. Every frame that is an HL7 message (begins with MSH) goes to the topic, valid or not, so
/// Bronze keeps it and Silver quarantines what it refuses; the answer waits for the broker's delivery report. The
/// decision it reports is the engine's own: the pure decoder and Silver's layout checks, as the patient grain will
/// apply them. Frames that are not HL7 at all, or too large, are refused at the door and not kept.
/// </summary>
public sealed class Hl7MessageIntake(
    PatientFlowDecoder decoder, SilverCleansing cleansing, IBrokerIngress ingress, IOptions<Hl7Options> options, TimeProvider clock)
{
    private long _acknowledgements;

    public async Task<MllpAnswer> AcknowledgeAsync(MllpFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var now = clock.GetUtcNow();
        if (frame.Oversize)
        {
            return Answer(frame, now, RejectionReasons.Oversize, $"{frame.Length} bytes, limit {options.Value.MaxFrameBytes}");
        }

        if (!PayloadFormat.IsHl7V2(frame.Payload))
        {
            return Answer(frame, now, Hl7RejectionReasons.MalformedHl7, "an MLLP frame must hold one HL7 v2 message beginning with MSH");
        }

        var decoded = decoder.Decode(frame.Payload, now);
        string? key = null;
        var (reason, detail) = (decoded.RejectionReason, decoded.Detail);
        if (decoded.IsAccepted)
        {
            key = PatientRoute.PatientIdOf(decoded);
            for (var part = 0; part < decoded.Events.Count && reason is null; part++)
            {
                var cleansed = cleansing.Cleanse(decoded.Events[part], key, new BrokerPosition(0, 0, part));
                (reason, detail) = (cleansed.RejectionReason, cleansed.Detail);
            }
        }

        try
        {
            await ingress.ProduceAsync(key, frame.Payload, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BrokerDeliveryException ex)
        {
            return Answer(frame, clock.GetUtcNow(), Hl7RejectionReasons.BrokerUnavailable, $"{ex.Message}; not kept, send it again");
        }

        return Answer(frame, clock.GetUtcNow(), reason, detail);
    }

    private MllpAnswer Answer(MllpFrame frame, DateTimeOffset now, string? reason, string? detail)
    {
        var code = reason is null ? AckCodes.Accept : Hl7Acknowledgement.CodeFor(reason);
        var controlId = $"{now.UtcDateTime:yyyyMMddHHmmssfff}-{Interlocked.Increment(ref _acknowledgements)}";
        var ack = Hl7Acknowledgement.Build(frame.Payload, code, controlId, now, reason, detail);
        return new MllpAnswer(code, reason, ack);
    }
}

/// <summary>What a frame got: its ACK code and reason, and the ACK bytes.</summary>
public sealed record MllpAnswer(string Code, string? Reason, byte[] Ack);
