using OpenTelemetry;
using OpenTelemetry.Logs;

namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>
/// Runs before the log exporters: our own log templates never name a patient, but other components' may (Orleans
/// quotes grain ids such as <c>patient/P-123</c> in warnings). Attributes that hold an identifier are replaced by
/// pseudonyms, and so is every grain reference in the rendered message.
/// </summary>
public sealed class PhiLogProcessor(PhiScrubber scrubber) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        if (data.Attributes is { Count: > 0 } attributes)
        {
            List<KeyValuePair<string, object?>>? rewritten = null;
            for (var i = 0; i < attributes.Count; i++)
            {
                var (key, value) = attributes[i];
                var clean = value switch
                {
                    string text when PhiScrubber.IsPatientAttribute(key) => scrubber.Pseudonym(text),
                    string text => scrubber.ScrubText(text),
                    null => null,
                    _ when PhiScrubber.IsPatientAttribute(key) => scrubber.Pseudonym(value.ToString() ?? string.Empty),
                    _ => value,
                };
                if (!ReferenceEquals(clean, value))
                {
                    rewritten ??= [.. attributes];
                    rewritten[i] = new(key, clean);
                }
            }

            if (rewritten is not null)
            {
                data.Attributes = rewritten;
                // The rendered message was built from the clear values: fall back to the template.
                data.FormattedMessage = null;
            }
        }

        if (data.FormattedMessage is { } message)
        {
            data.FormattedMessage = scrubber.ScrubText(message);
        }

        if (data.Exception is not null && data.Exception.ToString() is var exceptionText && scrubber.ScrubText(exceptionText) != exceptionText)
        {
            // An exception object cannot be edited: export its scrubbed text (type, message, stack) in its place.
            data.Attributes = [.. data.Attributes ?? [], new("exception.scrubbed", scrubber.ScrubText(exceptionText))];
            data.Exception = null;
        }
    }
}
