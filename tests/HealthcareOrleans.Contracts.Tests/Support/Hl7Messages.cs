using System.Text;

namespace HealthcareOrleans.Contracts.Tests.Support;

/// <summary>A small valid ADT message to bend into exactly the fault a test is about.</summary>
internal static class Hl7Messages
{
    public static string AdtText(string trigger) =>
        $"MSH|^~\\&|PAS|RGH|ENGINE|RGH|20250304101600+0100||ADT^{trigger}^ADT_A01|CTRL-{trigger}|P|2.5.1\r"
        + $"EVN|{trigger}|20250304101500+0100\r"
        + "PID|1||P-1001^^^RGH^MR||DOE^JANE||19580630|F|||1 HIGH ST^^LONDON^^SW1A 1AA\r"
        + "PV1|1|I|RGH-AMU^^AMU-07^RGH|||RGH-ED|||||||||||||E-77\r";

    public static byte[] Adt(string trigger) => Encoding.UTF8.GetBytes(AdtText(trigger));
}
