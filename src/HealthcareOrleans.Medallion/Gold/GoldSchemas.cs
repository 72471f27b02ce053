using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Lake.Schema;
using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>
/// The six tables of the Gold star schema in one place. Timestamps are UTC (Delta stores microseconds adjusted to UTC);
/// date_key is the UTC date as yyyymmdd. Facts carry both the version key (patient_sk, as of the event) and the durable
/// key (patient_dk) so reports can slice by the attributes then or now, and so a patient's rows can be replaced as one.
/// </summary>
public static class GoldSchemas
{
    public static GoldTable<DimPatientRow> DimPatient { get; } = new(LakeTables.GoldDimPatient,
        "Patients, SCD Type 2 on gender, age band, postal region and payer (generalised: no raw PHI).",
        ["patient_sk"],
        [
            new(DeltaField.Long("patient_sk", false), r => r.PatientSk),
            new(DeltaField.Long("patient_dk", false), r => r.PatientDk),
            new(DeltaField.String("patient_id", false), r => r.PatientId),
            new(DeltaField.String("gender"), r => r.Gender),
            new(DeltaField.String("age_band"), r => r.AgeBand),
            new(DeltaField.String("postal_region"), r => r.PostalRegion),
            new(DeltaField.String("payer"), r => r.Payer),
            new(DeltaField.Timestamp("valid_from", false), r => r.ValidFrom),
            new(DeltaField.Timestamp("valid_to", false), r => r.ValidTo),
            new(DeltaField.Boolean("is_current", false), r => r.IsCurrent),
            new(DeltaField.Integer("version", false), r => r.Version),
        ]);

    public static GoldTable<DimWardRow> DimWard { get; } = new(LakeTables.GoldDimWard,
        "Wards, SCD Type 2 on hospital, department and beds; the name is Type 1.",
        ["ward_sk"],
        [
            new(DeltaField.Long("ward_sk", false), r => r.WardSk),
            new(DeltaField.String("ward_id", false), r => r.WardId),
            new(DeltaField.String("hospital_id", false), r => r.HospitalId),
            new(DeltaField.String("name", false), r => r.Name),
            new(DeltaField.String("department", false), r => r.Department),
            new(DeltaField.Integer("beds", false), r => r.Beds),
            new(DeltaField.Timestamp("valid_from", false), r => r.ValidFrom),
            new(DeltaField.Timestamp("valid_to", false), r => r.ValidTo),
            new(DeltaField.Boolean("is_current", false), r => r.IsCurrent),
            new(DeltaField.Integer("version", false), r => r.Version),
        ]);

    public static GoldTable<DimDateRow> DimDate { get; } = new(LakeTables.GoldDimDate,
        "Calendar dates, whole years covering every date the facts mention.",
        ["date_key"],
        [
            new(DeltaField.Integer("date_key", false), r => r.DateKey),
            new(DeltaField.Date("date", false), r => r.Date),
            new(DeltaField.Integer("year", false), r => r.Year),
            new(DeltaField.Integer("quarter", false), r => r.Quarter),
            new(DeltaField.Integer("month", false), r => r.Month),
            new(DeltaField.String("month_name", false), r => r.MonthName),
            new(DeltaField.Integer("day", false), r => r.Day),
            new(DeltaField.Integer("day_of_week", false), r => r.DayOfWeek),
            new(DeltaField.String("day_name", false), r => r.DayName),
            new(DeltaField.Boolean("is_weekend", false), r => r.IsWeekend),
            new(DeltaField.Integer("iso_week", false), r => r.IsoWeek),
            new(DeltaField.Integer("iso_year", false), r => r.IsoYear),
        ]);

    public static GoldTable<FactWardStayRow> FactWardStay { get; } = new(LakeTables.GoldFactWardStay,
        "One row per patient stay in a ward; open stays have no left_at and are updated when they close.",
        ["stay_id"],
        [
            new(DeltaField.String("stay_id", false), r => r.Stay.StayId),
            new(DeltaField.Long("patient_sk", false), r => r.Stay.PatientSk),
            new(DeltaField.Long("patient_dk", false), r => r.Stay.PatientDk),
            new(DeltaField.Long("ward_sk", false), r => r.WardSk),
            new(DeltaField.String("encounter_id", false), r => r.Stay.EncounterId),
            new(DeltaField.String("hospital_id"), r => r.Stay.HospitalId),
            new(DeltaField.String("ward_id", false), r => r.Stay.WardId),
            new(DeltaField.String("bed_id"), r => r.Stay.BedId),
            new(DeltaField.Timestamp("entered_at", false), r => r.Stay.EnteredAt),
            new(DeltaField.Timestamp("left_at"), r => r.Stay.LeftAt),
            new(DeltaField.Double("length_of_stay_hours"), r => r.Stay.LengthOfStayHours),
            new(DeltaField.Integer("date_key", false), r => r.Stay.DateKey),
            new(DeltaField.Boolean("is_open", false), r => r.Stay.IsOpen),
            new(DeltaField.String("entry_kind", false), r => r.Stay.EntryKind),
            new(DeltaField.String("exit_kind"), r => r.Stay.ExitKind),
        ]);

    public static GoldTable<EncounterRow> FactEncounter { get; } = new(LakeTables.GoldFactEncounter,
        "One row per encounter: arrival, admission, discharge, waiting time and length of stay.",
        ["encounter_id"],
        [
            new(DeltaField.String("encounter_id", false), r => r.EncounterId),
            new(DeltaField.Long("patient_sk", false), r => r.PatientSk),
            new(DeltaField.Long("patient_dk", false), r => r.PatientDk),
            new(DeltaField.String("hospital_id"), r => r.HospitalId),
            new(DeltaField.String("department"), r => r.Department),
            new(DeltaField.Integer("acuity"), r => r.Acuity),
            new(DeltaField.Timestamp("arrived_at"), r => r.ArrivedAt),
            new(DeltaField.Timestamp("admitted_at"), r => r.AdmittedAt),
            new(DeltaField.Timestamp("discharged_at"), r => r.DischargedAt),
            new(DeltaField.Double("waiting_time_minutes"), r => r.WaitingTimeMinutes),
            new(DeltaField.Double("length_of_stay_hours"), r => r.LengthOfStayHours),
            new(DeltaField.String("status", false), r => r.Status),
            new(DeltaField.String("arrival_ward_id"), r => r.ArrivalWardId),
            new(DeltaField.String("first_ward_id"), r => r.FirstWardId),
            new(DeltaField.String("last_ward_id"), r => r.LastWardId),
            new(DeltaField.Integer("transfers", false), r => r.Transfers),
            new(DeltaField.Boolean("discharged_from_ed", false), r => r.DischargedFromEd),
            new(DeltaField.Integer("date_key", false), r => r.DateKey),
        ]);

    public static GoldTable<CensusRow> FactWardCensusHourly { get; } = new(LakeTables.GoldFactWardCensusHourly,
        "Per ward and UTC hour: occupancy at the hour's end, patients present during it, bed-hours and movements.",
        ["hour_key", "ward_id"],
        [
            new(DeltaField.Long("hour_key", false), r => r.HourKey),
            new(DeltaField.String("ward_id", false), r => r.WardId),
            new(DeltaField.Long("ward_sk", false), r => r.WardSk),
            new(DeltaField.Timestamp("hour_start", false), r => r.HourStart),
            new(DeltaField.Integer("date_key", false), r => r.DateKey),
            new(DeltaField.Integer("hour", false), r => r.Hour),
            new(DeltaField.Integer("beds", false), r => r.Beds),
            new(DeltaField.Integer("occupancy_at_end", false), r => r.OccupancyAtEnd),
            new(DeltaField.Integer("patients_present", false), r => r.PatientsPresent),
            new(DeltaField.Double("bed_hours", false), r => r.BedHours),
            new(DeltaField.Integer("admissions", false), r => r.Admissions),
            new(DeltaField.Integer("discharges", false), r => r.Discharges),
            new(DeltaField.Integer("transfers_in", false), r => r.TransfersIn),
            new(DeltaField.Integer("transfers_out", false), r => r.TransfersOut),
        ]);
}
