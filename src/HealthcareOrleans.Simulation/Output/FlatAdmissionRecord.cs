using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace HealthcareOrleans.Simulation.Output;

/// <summary>
/// The classic design's admission row. Its timestamps are UTC without an offset, as the classic generators wrote
/// them; the decoder accepts that for this format only.
/// </summary>
public sealed record FlatAdmissionRecord(
    string PatientId, string Gender, int Age, string Department, DateTimeOffset AdmissionTime, DateTimeOffset? DischargeTime,
    string BedId, string HospitalId)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss";

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("patient_id", PatientId);
            writer.WriteString("gender", Gender);
            writer.WriteNumber("age", Age);
            writer.WriteString("department", Department);
            writer.WriteString("admission_time", AdmissionTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            if (DischargeTime is { } discharged)
            {
                writer.WriteString("discharge_time", discharged.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("discharge_time");
            }

            writer.WriteString("bed_id", BedId);
            writer.WriteString("hospital_id", HospitalId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
