using System.Text;
using HealthcareOrleans.PatientFlow.Telemetry;
using HealthcareOrleans.Silo.Telemetry;

namespace HealthcareOrleans.Dashboard.Tests;

/// <summary>The lines other components write to the console name patients; the scrubber replaces every such id.</summary>
public sealed class ConsoleScrubbingTests
{
    private static readonly PatientPseudonyms Pseudonyms = new(Encoding.UTF8.GetBytes("a-console-test-key-of-enough-length"));
    private readonly PhiScrubber _scrubber = new(Pseudonyms);

    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://127.0.0.1:8080/api/patients/P-123 - - -", "P-123")]
    [InlineData("Request finished HTTP/1.1 GET http://127.0.0.1:8080/api/patients/P%20123?x=1 - 404", "P 123")]
    [InlineData("Subscribed to stream patient-flow/patient-flow/P-123 for consumer", "P-123")]
    [InlineData("Delivery of stream patient-flow/P-123 failed", "P-123")]
    [InlineData("[GrainReference: patient/P-123] timed out", "P-123")]
    public void Patient_ids_in_request_stream_and_grain_lines_become_pseudonyms(string line, string patientId)
    {
        var scrubbed = _scrubber.ScrubText(line);

        Assert.DoesNotContain(patientId.Replace(" ", "%20", StringComparison.Ordinal), scrubbed, StringComparison.Ordinal);
        Assert.Contains(Pseudonyms.Of(patientId), scrubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kafka patient-flow/2: handing over at checkpoint 118, record sink durable up to 118")]
    [InlineData("Bronze patient-flow/1: committed 40 rows up to offset 39 as table version 3")]
    [InlineData("txn embedded-20261202T055400Z-1a2b3c4d/patient-flow/3 → 77")]
    [InlineData("Stream provider patient-flow started; namespace patient-flow-unkeyed/2 idle")]
    public void Topic_partition_and_unkeyed_stream_names_are_left_alone(string line)
    {
        Assert.Equal(line, _scrubber.ScrubText(line));
    }
}
