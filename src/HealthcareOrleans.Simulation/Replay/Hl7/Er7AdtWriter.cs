using System.Globalization;
using System.Text;

namespace HealthcareOrleans.Simulation.Replay.Hl7;

/// <summary>What one HL7 v2 ADT message says about a movement, in the fields the intake maps.</summary>
/// <param name="ControlId">MSH-10: the engine's event id.</param>
/// <param name="PatientClass">PV1-2 (E emergency, I inpatient).</param>
/// <param name="PointOfCare">PV1-3.1: the ward.</param>
/// <param name="Facility">PV1-3.4: the hospital.</param>
/// <param name="PriorPointOfCare">PV1-6.1: the ward left on a transfer.</param>
/// <param name="VisitNumber">PV1-19: the encounter.</param>
public sealed record AdtMessage(
    string Trigger, DateTimeOffset OccurredAt, string ControlId, string PatientId, string AssigningAuthority, string? Gender,
    char PatientClass, string PointOfCare, string Facility, string? PriorPointOfCare, string VisitNumber, string SendingApplication);

/// <summary>
/// Writes ADT messages as HL7 v2.5.1 ER7: segments ended by a carriage return (the standard's terminator), the
/// default encoding characters, values escaped so a '|' or '^' in a name cannot shift a field.
/// </summary>
public static class Er7AdtWriter
{
    public const string Version = "2.5.1";

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("\\|^&~\r\n");

    public static void Write(TextWriter writer, AdtMessage m)
    {
        var time = Timestamp(m.OccurredAt);
        var sb = new StringBuilder(256);
        sb.Append("MSH|^~\\&|").Append(Escape(m.SendingApplication)).Append('|').Append(Escape(m.Facility)).Append("|HEALTHCAREORLEANS|")
            .Append(Escape(m.Facility)).Append('|').Append(time).Append("||ADT^").Append(m.Trigger).Append('^').Append(StructureOf(m.Trigger))
            .Append('|').Append(Escape(m.ControlId)).Append("|P|").Append(Version).Append('\r');
        // EVN-2 recorded and EVN-6 occurred: a replay records each movement when it happened.
        sb.Append("EVN|").Append(m.Trigger).Append('|').Append(time).Append("||||").Append(time).Append('\r');
        sb.Append("PID|1||").Append(Escape(m.PatientId)).Append("^^^").Append(Escape(m.AssigningAuthority)).Append("^MR||")
            .Append("Patient^").Append(Escape(m.PatientId)).Append("|||")
            .Append(m.Gender is null ? "" : Escape(m.Gender)).Append('\r');
        sb.Append("PV1|1|").Append(m.PatientClass).Append('|').Append(Escape(m.PointOfCare)).Append("^^^").Append(Escape(m.Facility))
            .Append("|||").Append(m.PriorPointOfCare is null ? "" : Escape(m.PriorPointOfCare) + "^^^" + Escape(m.Facility))
            .Append("|||||||||||||").Append(Escape(m.VisitNumber)).Append('\r');
        writer.Write(sb.ToString());
    }

    /// <summary>DTM to the second with the offset, which the intake needs to place the event on the timeline.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)
        + (at.Offset < TimeSpan.Zero ? "-" : "+") + at.Offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    /// <summary>HL7 v2 escape sequences (chapter 2.7) for the default encoding characters.</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny(Special) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\\' => "\\E\\",
                '|' => "\\F\\",
                '^' => "\\S\\",
                '&' => "\\T\\",
                '~' => "\\R\\",
                '\r' => "\\X0D\\",
                '\n' => "\\X0A\\",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>MSH-9.3, the message structure: A04 shares A01's, A03 and A02 have their own.</summary>
    private static string StructureOf(string trigger) => trigger switch
    {
        "A01" or "A04" or "A08" => "ADT_A01",
        "A02" => "ADT_A02",
        "A03" => "ADT_A03",
        _ => "ADT_A01",
    };
}
