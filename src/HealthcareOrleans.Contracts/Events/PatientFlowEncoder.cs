using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace HealthcareOrleans.Contracts.Events;

/// <summary>Writes an event in the engine's ADT wire format (the inverse of <see cref="PatientFlowDecoder"/>).</summary>
public static class PatientFlowEncoder
{
    public static byte[] Encode(PatientFlowEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, evt);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, PatientFlowEvent evt)
    {
        writer.WriteStartObject();
        writer.WriteString("event_id", evt.EventId);
        writer.WriteString("event_type", evt.EventType.ToWireName());
        writer.WriteString("occurred_at", evt.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        writer.WriteString("hospital_id", evt.HospitalId);
        writer.WriteString("patient_id", evt.PatientId);
        WriteOptional(writer, "encounter_id", evt.EncounterId);
        WriteOptional(writer, "ward_id", evt.WardId);
        WriteOptional(writer, "from_ward_id", evt.FromWardId);
        WriteOptional(writer, "bed_id", evt.BedId);
        WriteOptional(writer, "department", evt.Department);
        if (evt.Acuity is { } acuity)
        {
            writer.WriteNumber("acuity", acuity);
        }

        if (evt.Patient is { } p)
        {
            writer.WriteStartObject("patient");
            WriteOptional(writer, "gender", p.Gender);
            if (p.BirthDate is { } birthDate)
            {
                writer.WriteString("birth_date", birthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }

            if (p.Age is { } age)
            {
                writer.WriteNumber("age", age);
            }

            WriteOptional(writer, "postal_code", p.PostalCode);
            WriteOptional(writer, "payer", p.Payer);
            writer.WriteEndObject();
        }

        writer.WriteNumber("schema_version", evt.SchemaVersion);
        if (evt.Extensions is { } extensions)
        {
            foreach (var (name, rawJson) in extensions)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(rawJson);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
