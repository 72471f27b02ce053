using System.Globalization;
using System.Text;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;
using HealthcareOrleans.Contracts.Tests.Support;
using Xunit.Abstractions;

namespace HealthcareOrleans.Contracts.Tests.Fhir;

/// <summary>
/// The same ADT sample through both intake paths: the HL7 v2 message through the ER7 decoder, and the Encounter that
/// Microsoft's FHIR-Converter made of it through the FHIR mapper. Where the converter carries a value the two must
/// agree; where it does not, the difference and its cause are asserted here, so a change on either side shows.
/// <para>What differs, and why:</para>
/// <list type="bullet">
/// <item>Patient: the converter mints a Patient resource (a hash) and the Encounter only references it; PID-3 is in
/// that Patient, which the encounters folder does not hold. The FHIR path's patient is the reference's id.</item>
/// <item>Location: likewise, PV1-3 becomes a minted Location resource; the Encounter holds its reference only.</item>
/// <item>Time: the converter's period.start is PV1-44 (admit date/time); the HL7 path's event time is EVN-6 (else
/// EVN-2, MSH-7), when the event happened. Both are the instant PV1-44 names only when the sender made them equal.</item>
/// <item>Movement: the HL7 path takes it from the trigger (A02 = transfer); the Encounter has no trigger, and its
/// location history has no periods, so the FHIR path sees a stay starting at period.start, typed by class.</item>
/// <item>Triggers the HL7 mapping does not support (A05, A09, A10, A14–A16, A25–A29, A31, A45, A60) still become an
/// Encounter in the converter; statuses planned and cancelled (A05, A11, A14, A27, A29) map to no movement in FHIR.</item>
/// </list>
/// </summary>
public sealed class Hl7FhirCrossCheckTests(ITestOutputHelper output)
{
    // The samples are dated up to 2029; the check is about the mapping, not the clock.
    private static readonly DecodeLimits Limits = DecodeLimits.Default with { MaxClockSkew = TimeSpan.FromDays(20 * 365) };
    private static readonly DateTimeOffset ReceivedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Pair(string Sample, string Hl7Text, DecodeResult Hl7, FhirMapResult Fhir, string FhirJson);

    private static List<Pair> Pairs()
    {
        var decoder = new PatientFlowDecoder(Limits);
        // The converter's Encounters name no service provider: the hospital is not among the fields compared.
        var mapper = new FhirEncounterMapper(Limits, defaultHospitalId: "converter");
        var pairs = new List<Pair>();
        var encounters = Path.Combine(SharedData.Folder("fhir-r4"), "microsoft-converter-expected", "encounters");
        foreach (var file in Directory.GetFiles(encounters, "*.json").Order(StringComparer.Ordinal))
        {
            var sample = Path.GetFileName(file).Split("__")[0];
            // Some sample files begin with a UTF-8 byte order mark: the file's, not the message's.
            var hl7Text = File.ReadAllText(Path.Combine(SharedData.Hl7V2, "microsoft-fhir-converter", sample + ".hl7"), Encoding.UTF8).TrimStart('\uFEFF');
            var json = File.ReadAllText(file);
            pairs.Add(new Pair(sample, hl7Text, decoder.Decode(Encoding.UTF8.GetBytes(hl7Text), ReceivedAt), mapper.Map(Encoding.UTF8.GetBytes(json), ReceivedAt), json));
        }

        return pairs;
    }

    [Fact]
    public void Both_paths_agree_on_the_encounter_and_the_converter_times_come_from_pv1_44()
    {
        var pairs = Pairs();
        Assert.Equal(51, pairs.Count);
        var both = pairs.Where(p => p.Hl7.IsAccepted && p.Fhir.IsAccepted).ToList();
        foreach (var p in pairs)
        {
            output.WriteLine($"{p.Sample}: HL7 {(p.Hl7.IsAccepted ? p.Hl7.Event!.EventType.ToWireName() : p.Hl7.RejectionReason)}"
                + $" | FHIR {(p.Fhir.IsAccepted ? string.Join(" ", p.Fhir.Events.Select(e => e.EventType.ToWireName())) : p.Fhir.RejectionReason)}");
        }

        Assert.Equal(16, both.Count);
        var sameTime = 0;
        foreach (var p in both)
        {
            var hl7 = p.Hl7.Event!;
            var fhir = p.Fhir.Events[0];

            // Encounter: PV1-19 on one side, the visit-number identifier the converter writes from it on the other;
            // without PV1-19 the converter writes none and the FHIR path falls back to the resource id.
            using var encounter = System.Text.Json.JsonDocument.Parse(p.FhirJson);
            Assert.Equal(hl7.EncounterId ?? encounter.RootElement.GetProperty("id").GetString(), fhir.EncounterId);

            // Time: where the message has PV1-44, the FHIR path starts the encounter at that instant, read here from
            // the message text; without it the converter falls back to another time of the message.
            if (Pv1Field(p.Hl7Text, 44) is { Length: >= 12 } admitted)
            {
                Assert.Equal(ParseHl7(admitted), fhir.OccurredAt);
            }
            else
            {
                output.WriteLine($"{p.Sample}: no PV1-44; the converter's period.start is {fhir.OccurredAt:O}, the HL7 event time {hl7.OccurredAt:O}");
            }

            sameTime += hl7.OccurredAt == fhir.OccurredAt ? 1 : 0;

            // Patient and location: the converter's minted references, never PID-3 / PV1-3 themselves.
            var root = encounter.RootElement;
            Assert.Equal(root.GetProperty("subject").GetProperty("reference").GetString(), "Patient/" + fhir.PatientId);
            Assert.NotEqual(hl7.PatientId, fhir.PatientId);
            if (root.TryGetProperty("location", out var locations))
            {
                Assert.Contains("Location/" + fhir.WardId, locations.EnumerateArray().Select(l => l.GetProperty("location").GetProperty("reference").GetString()));
                Assert.NotEqual(hl7.WardId, fhir.WardId);
            }
            else
            {
                Assert.Null(fhir.WardId);
            }
        }

        // The event times agree exactly where the sender made EVN-6 (else EVN-2, MSH-7) the same instant as PV1-44.
        output.WriteLine($"both accepted {both.Count}, same event time {sameTime}");
        Assert.Equal(both.Count(p => Evn6OrEarlier(p.Hl7Text) == Pv1Field(p.Hl7Text, 44)), sameTime);
    }

    [Fact]
    public void Samples_only_one_path_maps_are_refused_for_the_documented_reasons()
    {
        var onlyOne = Pairs().Where(p => p.Hl7.IsAccepted != p.Fhir.IsAccepted).ToList();

        foreach (var p in onlyOne.Where(p => !p.Hl7.IsAccepted))
        {
            // The HL7 mapping covers A01–A04, A06–A08, A11–A13; the converter turns every trigger into an Encounter.
            Assert.StartsWith("unsupported_trigger:", p.Hl7.RejectionReason, StringComparison.Ordinal);
        }

        foreach (var p in onlyOne.Where(p => !p.Fhir.IsAccepted))
        {
            // Planned and cancelled Encounters record no movement; AMB holds no bed; one Encounter has no period.start.
            Assert.Matches("^(unsupported_status:(planned|cancelled)|unsupported_class:AMB|missing_field:period.start)$", p.Fhir.RejectionReason);
        }
    }

    private static string? Pv1Field(string message, int field) => FieldOf(message, "PV1", field);

    private static string? Evn6OrEarlier(string message) =>
        FieldOf(message, "EVN", 6) ?? FieldOf(message, "EVN", 2) ?? FieldOf(message, "MSH", 6);

    private static string? FieldOf(string message, string segment, int field)
    {
        var fields = message.Split('\r', '\n').FirstOrDefault(s => s.StartsWith(segment + "|", StringComparison.Ordinal))?.Split('|');
        var value = fields?.ElementAtOrDefault(field)?.Split('^')[0].Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>HL7 DTM YYYYMMDDHHMM[SS[.S+]][+/-ZZZZ], the offset defaulting to UTC: what the spec text says, parsed here by hand.</summary>
    private static DateTimeOffset ParseHl7(string text)
    {
        var sign = text.IndexOfAny(['+', '-']);
        var local = sign < 0 ? text : text[..sign];
        var offset = sign < 0 ? TimeSpan.Zero
            : (text[sign] == '-' ? -1 : 1) * new TimeSpan(int.Parse(text[(sign + 1)..(sign + 3)], CultureInfo.InvariantCulture), int.Parse(text[(sign + 3)..(sign + 5)], CultureInfo.InvariantCulture), 0);
        var fraction = local.IndexOf('.', StringComparison.Ordinal);
        var whole = fraction < 0 ? local : local[..fraction];
        var at = DateTime.ParseExact(whole.PadRight(14, '0'), "yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        if (fraction >= 0)
        {
            at = at.AddTicks((long)(double.Parse("0" + local[fraction..], CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
        }

        return new DateTimeOffset(at, offset);
    }
}
