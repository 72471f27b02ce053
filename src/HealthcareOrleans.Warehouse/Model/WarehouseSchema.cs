using static HealthcareOrleans.Warehouse.Model.WarehouseColumn;

namespace HealthcareOrleans.Warehouse.Model;

/// <summary>
/// The warehouse star schema: the six Gold tables (GoldSchemas in the grains project is the source of truth; a test
/// compares every column, type and key with it and with both DDL files). Identifiers get 128 characters: producers
/// assign them, and a truncation would fail a whole load rather than one row.
/// </summary>
public static class WarehouseSchema
{
    private const int Id = 128;
    private const int Word = 32;

    public static WarehouseTable DimPatient { get; } = new("dim_patient", "gold/dim_patient", WarehouseTableKind.Dimension, ["patient_sk"],
    [
        BigInt("patient_sk"), BigInt("patient_dk"), Text("patient_id", Id),
        Text("gender", Word, true), Text("age_band", Word, true), Text("postal_region", Word, true), Text("payer", Id, true),
        Timestamp("valid_from"), Timestamp("valid_to"), Bit("is_current"), Int("version"),
    ], IsScd2: true);

    public static WarehouseTable DimWard { get; } = new("dim_ward", "gold/dim_ward", WarehouseTableKind.Dimension, ["ward_sk"],
    [
        BigInt("ward_sk"), Text("ward_id", Id), Text("hospital_id", Id), Text("name", 200), Text("department", Id), Int("beds"),
        Timestamp("valid_from"), Timestamp("valid_to"), Bit("is_current"), Int("version"),
    ], IsScd2: true);

    public static WarehouseTable DimDate { get; } = new("dim_date", "gold/dim_date", WarehouseTableKind.Dimension, ["date_key"],
    [
        Int("date_key"), Date("date"), Int("year"), Int("quarter"), Int("month"), Text("month_name", Word), Int("day"),
        Int("day_of_week"), Text("day_name", Word), Bit("is_weekend"), Int("iso_week"), Int("iso_year"),
    ]);

    public static WarehouseTable FactWardStay { get; } = new("fact_ward_stay", "gold/fact_ward_stay", WarehouseTableKind.Fact, ["stay_id"],
    [
        Text("stay_id", 400), BigInt("patient_sk"), BigInt("patient_dk"), BigInt("ward_sk"), Text("encounter_id", Id),
        Text("hospital_id", Id, true), Text("ward_id", Id), Text("bed_id", Id, true), Timestamp("entered_at"), Timestamp("left_at", true),
        Float("length_of_stay_hours", true), Int("date_key"), Bit("is_open"), Text("entry_kind", Word), Text("exit_kind", Word, true),
    ]);

    public static WarehouseTable FactEncounter { get; } = new("fact_encounter", "gold/fact_encounter", WarehouseTableKind.Fact, ["encounter_id"],
    [
        Text("encounter_id", Id), BigInt("patient_sk"), BigInt("patient_dk"), Text("hospital_id", Id, true), Text("department", Id, true),
        Int("acuity", true), Timestamp("arrived_at", true), Timestamp("admitted_at", true), Timestamp("discharged_at", true),
        Float("waiting_time_minutes", true), Float("length_of_stay_hours", true), Text("status", Word),
        Text("arrival_ward_id", Id, true), Text("first_ward_id", Id, true), Text("last_ward_id", Id, true),
        Int("transfers"), Bit("discharged_from_ed"), Int("date_key"),
    ]);

    public static WarehouseTable FactWardCensusHourly { get; } = new("fact_ward_census_hourly", "gold/fact_ward_census_hourly", WarehouseTableKind.Fact, ["hour_key", "ward_id"],
    [
        BigInt("hour_key"), Text("ward_id", Id), BigInt("ward_sk"), Timestamp("hour_start"), Int("date_key"), Int("hour"), Int("beds"),
        Int("occupancy_at_end"), Int("patients_present"), Float("bed_hours"), Int("admissions"), Int("discharges"),
        Int("transfers_in"), Int("transfers_out"),
    ]);

    /// <summary>Dimensions first: a report reading mid-load then finds the dimension rows its new facts point at.</summary>
    public static IReadOnlyList<WarehouseTable> All { get; } = [DimDate, DimWard, DimPatient, FactEncounter, FactWardStay, FactWardCensusHourly];
}
