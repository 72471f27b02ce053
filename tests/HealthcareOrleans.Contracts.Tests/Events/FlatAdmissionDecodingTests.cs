using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Tests.Support;

namespace HealthcareOrleans.Contracts.Tests.Events;

/// <summary>The classic Azure design's record: patient_id, gender, age, department, admission_time, discharge_time, bed_id, hospital_id.</summary>
public sealed class FlatAdmissionDecodingTests
{
    [Fact]
    public void A_flat_record_without_discharge_becomes_one_admission()
    {
        var result = Payloads.Flat().Decode();

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Single(result.Events);
        var admit = result.Event!;
        Assert.Equal(PatientFlowEventType.Admit, admit.EventType);
        Assert.Equal("flat-P-2002-20250301083000-ADMIT", admit.EventId);
        Assert.Equal("P-2002-20250301083000", admit.EncounterId);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 30, 0, TimeSpan.Zero), admit.OccurredAt);
        Assert.Equal("P-2002", admit.PatientId);
        Assert.Equal("RGH", admit.HospitalId);
        Assert.Equal("Cardiology", admit.Department);
        Assert.Equal("C-12", admit.BedId);
        Assert.Null(admit.WardId);
        Assert.Null(admit.Acuity);
        Assert.Equal(new PatientDemographics("Male", null, 67, null, null), admit.Patient);
        Assert.Equal(1, admit.SchemaVersion);
    }

    [Fact]
    public void A_flat_record_with_discharge_time_also_yields_the_discharge()
    {
        var result = Payloads.Flat().With("discharge_time", "2025-03-03T14:05:00").Decode();

        Assert.True(result.IsAccepted, result.Detail);
        var admit = result.Event!;
        Assert.Equal(2, result.Events.Count);
        var discharge = result.Events[1];
        Assert.Equal(PatientFlowEventType.Discharge, discharge.EventType);
        Assert.Equal("flat-P-2002-20250301083000-DISCHARGE", discharge.EventId);
        Assert.Equal(admit.EncounterId, discharge.EncounterId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 14, 5, 0, TimeSpan.Zero), discharge.OccurredAt);
        Assert.Equal("P-2002", discharge.PatientId);
        Assert.Equal("RGH", discharge.HospitalId);
        Assert.Null(discharge.Patient);
    }

    [Fact]
    public void Re_sending_the_same_flat_record_derives_the_same_event_ids()
    {
        var first = Payloads.Flat().With("discharge_time", "2025-03-03 14:05:00").Decode();
        var again = Payloads.Flat().With("discharge_time", "2025-03-03 14:05:00").Decode();

        Assert.Equal(first.Event!.EventId, again.Event!.EventId);
        Assert.Equal(first.Events[1].EventId, again.Events[1].EventId);
        Assert.NotEqual(first.Event.EventId, first.Events[1].EventId);
    }

    [Fact]
    public void The_row_sent_again_once_the_discharge_is_known_keeps_the_admission_id()
    {
        var open = Payloads.Flat().Decode();
        var closed = Payloads.Flat().With("discharge_time", "2025-03-03 14:05:00").Decode();

        Assert.Equal(open.Event!.EventId, closed.Event!.EventId);
    }

    [Fact]
    public void The_same_admission_instant_written_with_an_offset_derives_the_same_ids()
    {
        var utc = Payloads.Flat().Decode();
        var withOffset = Payloads.Flat().With("admission_time", "2025-03-01T09:30:00+01:00").Decode();

        Assert.Equal(utc.Event!.EventId, withOffset.Event!.EventId);
    }

    [Fact]
    public void A_discharge_at_the_admission_instant_is_possible()
    {
        var result = Payloads.Flat().With("discharge_time", "2025-03-01 08:30:00").Decode();

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(2, result.Events.Count);
    }

    [Fact]
    public void Flat_record_numbers_sent_as_strings_are_accepted()
    {
        var result = Payloads.Flat().With("age", "67").Decode();

        Assert.Equal(67, result.Event!.Patient!.Age);
    }

    [Fact]
    public void Unknown_fields_of_a_flat_record_ride_along_on_both_events()
    {
        var result = Payloads.Flat().With("discharge_time", "2025-03-02 08:30:00").With("source_system", "legacy-pas").Decode();

        Assert.Equal("\"legacy-pas\"", result.Event!.Extensions!["source_system"]);
        Assert.Equal("\"legacy-pas\"", result.Events[1].Extensions!["source_system"]);
    }

    [Fact]
    public void A_flat_record_with_discharge_before_admission_is_an_impossible_time()
    {
        var result = Payloads.Flat().With("discharge_time", "2025-03-01 08:29:59").Decode();

        Assert.Equal("impossible_time:discharge_time", Payloads.RejectionOf(result));
    }

    [Theory]
    [InlineData("patient_id")]
    [InlineData("hospital_id")]
    [InlineData("department")]
    public void A_flat_record_without_a_required_field_is_rejected_naming_it(string field)
    {
        Assert.Equal($"missing_field:{field}", Payloads.RejectionOf(Payloads.Flat().Without(field).Decode()));
    }

    [Theory]
    [InlineData("admission_time", "03/01/2025 08:30")]
    [InlineData("admission_time", "01.03.2025")]
    [InlineData("discharge_time", "yesterday")]
    [InlineData("discharge_time", "2025-03-32 08:30:00")]
    public void A_flat_record_with_a_non_ISO_time_is_a_bad_timestamp(string field, string value)
    {
        Assert.Equal($"bad_timestamp:{field}", Payloads.RejectionOf(Payloads.Flat().With(field, value).Decode()));
    }

    [Fact]
    public void A_flat_record_discharged_in_the_future_is_rejected()
    {
        var result = Payloads.Flat().With("discharge_time", "2025-03-05 08:30:00").Decode();

        Assert.Equal("future_timestamp:discharge_time", Payloads.RejectionOf(result));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(131)]
    public void A_flat_record_with_an_impossible_age_is_a_bad_value(int age)
    {
        Assert.Equal("bad_value:age", Payloads.RejectionOf(Payloads.Flat().With("age", age).Decode()));
    }

    [Fact]
    public void A_flat_record_with_an_age_that_is_not_a_number_is_the_wrong_type()
    {
        Assert.Equal("wrong_type:age", Payloads.RejectionOf(Payloads.Flat().With("age", "sixty").Decode()));
    }
}
