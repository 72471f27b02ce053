using System.Diagnostics;
using OpenTelemetry;

namespace HealthcareOrleans.Silo.Telemetry;

/// <summary>
/// Runs before every exporter (it is registered first): rewrites span tags other libraries filled with patient
/// identifiers. Our own spans carry only pseudonyms already; this covers Orleans' grain ids
/// (<c>orleans.rpc.target_id = patient/&lt;id&gt;</c>), ASP.NET Core's request path and exception messages that quote
/// either. Exceptions are not recorded as span events (the ASP.NET Core instrumentation's RecordException stays off),
/// so tags are all there is to clean.
/// </summary>
public sealed class PhiActivityProcessor(PhiScrubber scrubber) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string>>? rewrites = null;
        foreach (var (key, value) in data.TagObjects)
        {
            if (value is not string text)
            {
                continue;
            }

            var clean = key == "url.path" ? scrubber.ScrubPath(text) : scrubber.ScrubGrainReferences(text);
            if (!string.Equals(clean, text, StringComparison.Ordinal))
            {
                (rewrites ??= []).Add(new(key, clean));
            }
        }

        foreach (var (key, clean) in rewrites ?? [])
        {
            data.SetTag(key, clean);
        }

        // No endpoint of ours needs its query string in a trace; dropping it keeps whatever a client put there out of exports.
        if (data.GetTagItem("url.query") is not null)
        {
            data.SetTag("url.query", null);
        }
    }
}
