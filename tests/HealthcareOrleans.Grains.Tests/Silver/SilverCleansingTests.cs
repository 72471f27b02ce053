using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Grains.Tests.Silver;

public sealed class SilverCleansingTests
{
    private static readonly SilverCleansing Cleansing = new(new HospitalDirectory(HospitalLayout.Default));
    private static readonly DateTimeOffset At = new(2025, 3, 4, 10, 0, 0, TimeSpan.FromHours(1));
    private static readonly BrokerPosition Position = new(2, 41, 0);

    private static PatientFlowEvent Event(
        PatientFlowEventType type = PatientFlowEventType.Admit, string hospital = "RGH", string? ward = "RGH-AMU", string? from = null,
        string? department = null, string patientId = "P-1", PatientDemographics? patient = null, string? bed = null, DateTimeOffset? at = null) =>
        new(" evt-1 ", type, at ?? At, hospital, patientId, " E-1 ", ward, from, bed, department, 2, patient, 1,
            new Dictionary<string, string> { ["triage"] = "\"red\"" });

    private static CleanEvent Accepted(PatientFlowEvent evt)
    {
        var result = Cleansing.Cleanse(evt, evt.PatientId.Trim(), Position);
        Assert.True(result.Event is not null, $"{result.RejectionReason}: {result.Detail}");
        return result.Event!;
    }

    private static string Rejected(PatientFlowEvent evt, string? key = null)
    {
        var result = Cleansing.Cleanse(evt, key ?? evt.PatientId, Position);
        Assert.Null(result.Event);
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
        return result.RejectionReason!;
    }

    [Fact]
    public void A_clean_event_carries_canonical_codes_trimmed_ids_UTC_time_and_its_broker_position()
    {
        var e = Accepted(Event(bed: " amu-7 "));

        Assert.Equal("evt-1", e.EventId);
        Assert.Equal("E-1", e.EncounterId);
        Assert.Equal("RGH", e.HospitalId);
        Assert.Equal("RGH-AMU", e.WardId);
        Assert.Equal("Medicine", e.Department);
        Assert.Equal("AMU-7", e.BedId);
        Assert.Equal(2, e.Acuity);
        Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset);
        Assert.Equal(At, e.OccurredAt);
        Assert.Equal(Position, e.Position);
        Assert.Equal("\"red\"", e.Extensions!["triage"]);
        Assert.Null(e.Attributes);
    }

    [Theory]
    [InlineData("rgh", "rgh-amu", "RGH-AMU")]
    [InlineData("Rgh", " Rgh-Icu ", "RGH-ICU")]
    [InlineData(" RGH ", "RGH-ED", "RGH-ED")]
    [InlineData("nch", "nch-reh", "NCH-REH")]
    public void Hospital_and_ward_come_out_in_canonical_spelling_from_any_case(string hospital, string ward, string canonicalWard)
    {
        var e = Accepted(Event(hospital: hospital, ward: ward));

        Assert.Equal(canonicalWard[..3], e.HospitalId);
        Assert.Equal(canonicalWard, e.WardId);
    }

    [Fact]
    public void A_time_finer_than_a_microsecond_is_cut_to_the_microsecond_a_lake_timestamp_holds()
    {
        var e = Accepted(Event(at: DateTimeOffset.Parse("2026-01-09T05:47:59.9999999+00:00", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(DateTimeOffset.Parse("2026-01-09T05:47:59.999999Z", System.Globalization.CultureInfo.InvariantCulture), e.OccurredAt);
    }

    [Fact]
    public void The_from_ward_comes_out_in_canonical_spelling()
    {
        Assert.Equal("RGH-ED", Accepted(Event(PatientFlowEventType.Transfer, ward: "rgh-car", from: "rgh-ed")).FromWardId);
    }

    [Fact]
    public void The_department_comes_from_the_ward_when_a_ward_is_named()
    {
        Assert.Equal("Cardiology", Accepted(Event(ward: "RGH-CAR", department: "medicine")).Department);
    }

    [Theory]
    [InlineData("medicine", "Medicine")]
    [InlineData(" CRITICAL care ", "Critical Care")]
    public void A_department_comes_out_in_canonical_spelling_from_any_case(string department, string canonical)
    {
        Assert.Equal(canonical, Accepted(Event(PatientFlowEventType.Discharge, ward: null, department: department)).Department);
    }

    [Theory]
    [InlineData("medicine", "RGH-AMU")]
    [InlineData("Geriatrics", "RGH-GER")]
    [InlineData("SURGERY", "RGH-SRG")]
    public void A_department_only_admission_is_placed_in_the_first_ward_of_that_department(string department, string ward)
    {
        var e = Accepted(Event(ward: null, department: department));

        Assert.Equal(ward, e.WardId);
    }

    [Fact]
    public void A_flat_admission_record_lands_in_its_departments_first_ward()
    {
        var decoded = new PatientFlowDecoder().Decode(
            """{"patient_id":"P-2","gender":"Male","age":67,"department":"medicine","admission_time":"2025-03-01 08:30:00","discharge_time":"2025-03-02 09:00:00","bed_id":"b-12","hospital_id":"nch"}"""u8,
            new DateTimeOffset(2025, 3, 4, 0, 0, 0, TimeSpan.Zero));

        var admit = Accepted(decoded.Event!);
        var discharge = Accepted(decoded.Events[1]);

        Assert.Equal(("NCH", "NCH-MED", "Medicine", "B-12"), (admit.HospitalId, admit.WardId, admit.Department, admit.BedId));
        Assert.Equal(new PatientAttributes("M", "65-79", null, null), admit.Attributes);
        Assert.Null(discharge.WardId);
        Assert.Equal(PatientFlowEventType.Discharge, discharge.Type);
    }

    [Fact]
    public void A_department_only_event_that_is_not_an_admission_names_no_ward()
    {
        Assert.Null(Accepted(Event(PatientFlowEventType.Arrival, ward: null, department: "Emergency")).WardId);
    }

    [Fact]
    public void A_hospital_not_in_the_layout_is_unknown_hospital()
    {
        Assert.Equal("unknown_hospital", Rejected(Event(hospital: "XYZ")));
    }

    [Theory]
    [InlineData("RGH-NOPE")]
    [InlineData("NCH-MED")]
    [InlineData("RGH AMU")]
    public void A_ward_not_in_the_events_hospital_is_unknown_ward_id(string ward)
    {
        Assert.Equal("unknown_ward:ward_id", Rejected(Event(ward: ward)));
    }

    [Theory]
    [InlineData("RGH-NOPE")]
    [InlineData("nch-ed")]
    public void A_from_ward_not_in_the_events_hospital_is_unknown_ward_from_ward_id(string from)
    {
        Assert.Equal("unknown_ward:from_ward_id", Rejected(Event(PatientFlowEventType.Transfer, ward: "RGH-CAR", from: from)));
    }

    [Theory]
    [InlineData("Podiatry")]
    [InlineData("Cardiology")]
    public void A_department_the_hospital_does_not_have_is_unknown_department(string department)
    {
        // Northfield has no cardiology: a department of another hospital is no department of this one.
        Assert.Equal("unknown_department", Rejected(Event(hospital: "NCH", ward: null, department: department)));
    }

    [Theory]
    [InlineData("P-2")]
    [InlineData("p-1")]
    public void A_patient_id_other_than_the_message_key_is_key_mismatch(string key)
    {
        Assert.Equal("key_mismatch", Rejected(Event(patientId: "P-1"), key));
    }

    [Fact]
    public void Surrounding_white_space_in_the_patient_id_is_no_mismatch()
    {
        Assert.NotNull(Cleansing.Cleanse(Event(patientId: " P-1 "), "P-1", Position).Event);
    }

    [Fact]
    public void Demographics_are_generalised_before_they_enter_Silver()
    {
        var e = Accepted(Event(patient: new PatientDemographics(" female ", new DateOnly(1958, 6, 30), null, "sw1a 1aa", "private insurance")));

        Assert.Equal(new PatientAttributes("F", "65-79", "SW1A", "Private Insurance"), e.Attributes);
    }

    [Fact]
    public void The_age_band_is_computed_from_the_birth_date_at_event_time()
    {
        var born = new DateOnly(2007, 3, 5);
        PatientAttributes? At(DateTimeOffset time) => Accepted(Event(patient: new PatientDemographics(null, born, null, null, null), at: time)).Attributes;

        Assert.Equal("0-17", At(new DateTimeOffset(2025, 3, 4, 23, 59, 59, TimeSpan.Zero))!.AgeBand);
        Assert.Equal("18-34", At(new DateTimeOffset(2025, 3, 5, 0, 0, 0, TimeSpan.Zero))!.AgeBand);
    }

    [Fact]
    public void A_birth_date_wins_over_a_stated_age()
    {
        var e = Accepted(Event(patient: new PatientDemographics(null, new DateOnly(2000, 1, 1), 80, null, null)));

        Assert.Equal("18-34", e.Attributes!.AgeBand);
    }

    [Fact]
    public void Demographics_that_state_nothing_usable_are_no_statement()
    {
        Assert.Null(Accepted(Event(patient: new PatientDemographics(" ", null, null, "", null))).Attributes);
    }
}
