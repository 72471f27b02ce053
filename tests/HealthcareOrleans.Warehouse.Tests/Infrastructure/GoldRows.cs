using System.Globalization;
using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Warehouse.Tests.Infrastructure;

/// <summary>Rows of the Gold tables with the keys the Gold writer would compute (GoldKeys), for building test lakes.</summary>
public static class GoldRows
{
    public static readonly DateTimeOffset OpenEnd = GoldKeys.OpenEnd;

    public static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static GoldRow Patient(string patientId, DateTimeOffset validFrom, DateTimeOffset validTo, int version, string payer, string gender = "F", string ageBand = "40-49") => new()
    {
        ["patient_sk"] = GoldKeys.PatientVersion(patientId, validFrom),
        ["patient_dk"] = GoldKeys.PatientDurable(patientId),
        ["patient_id"] = patientId,
        ["gender"] = gender,
        ["age_band"] = ageBand,
        ["postal_region"] = "75",
        ["payer"] = payer,
        ["valid_from"] = validFrom,
        ["valid_to"] = validTo,
        ["is_current"] = validTo == OpenEnd,
        ["version"] = version,
    };

    public static GoldRow Ward(string wardId, string name, string department, int beds, string hospitalId = "H1") => new()
    {
        ["ward_sk"] = GoldKeys.WardVersion(wardId, GoldKeys.BeginningOfTime),
        ["ward_id"] = wardId,
        ["hospital_id"] = hospitalId,
        ["name"] = name,
        ["department"] = department,
        ["beds"] = beds,
        ["valid_from"] = GoldKeys.BeginningOfTime,
        ["valid_to"] = OpenEnd,
        ["is_current"] = true,
        ["version"] = 1,
    };

    public static GoldRow Date(DateOnly date)
    {
        var dow = date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
        var dt = date.ToDateTime(TimeOnly.MinValue);
        return new GoldRow
        {
            ["date_key"] = GoldKeys.DateKey(date),
            ["date"] = date,
            ["year"] = date.Year,
            ["quarter"] = ((date.Month - 1) / 3) + 1,
            ["month"] = date.Month,
            ["month_name"] = date.ToString("MMMM", CultureInfo.InvariantCulture),
            ["day"] = date.Day,
            ["day_of_week"] = dow,
            ["day_name"] = date.DayOfWeek.ToString(),
            ["is_weekend"] = dow >= 6,
            ["iso_week"] = ISOWeek.GetWeekOfYear(dt),
            ["iso_year"] = ISOWeek.GetYear(dt),
        };
    }

    public static GoldRow Stay(string patientId, DateTimeOffset patientValidFrom, string encounterId, string wardId, DateTimeOffset entered, DateTimeOffset? left, string entryKind, string? exitKind) => new()
    {
        ["stay_id"] = GoldKeys.StayId(encounterId, wardId, entered),
        ["patient_sk"] = GoldKeys.PatientVersion(patientId, patientValidFrom),
        ["patient_dk"] = GoldKeys.PatientDurable(patientId),
        ["ward_sk"] = GoldKeys.WardVersion(wardId, GoldKeys.BeginningOfTime),
        ["encounter_id"] = encounterId,
        ["hospital_id"] = "H1",
        ["ward_id"] = wardId,
        ["bed_id"] = wardId + "-1",
        ["entered_at"] = entered,
        ["left_at"] = left,
        ["length_of_stay_hours"] = left is { } l ? (l - entered).TotalHours : null,
        ["date_key"] = GoldKeys.DateKey(entered),
        ["is_open"] = left is null,
        ["entry_kind"] = entryKind,
        ["exit_kind"] = exitKind,
    };

    public static GoldRow Encounter(string patientId, DateTimeOffset patientValidFrom, string encounterId, string department, int acuity,
        DateTimeOffset? arrived, DateTimeOffset? admitted, DateTimeOffset? discharged, string status, string? firstWard, string? lastWard, int transfers) => new()
    {
        ["encounter_id"] = encounterId,
        ["patient_sk"] = GoldKeys.PatientVersion(patientId, patientValidFrom),
        ["patient_dk"] = GoldKeys.PatientDurable(patientId),
        ["hospital_id"] = "H1",
        ["department"] = department,
        ["acuity"] = acuity,
        ["arrived_at"] = arrived,
        ["admitted_at"] = admitted,
        ["discharged_at"] = discharged,
        ["waiting_time_minutes"] = arrived is { } a && admitted is { } m ? (m - a).TotalMinutes : null,
        ["length_of_stay_hours"] = admitted is { } ad && discharged is { } d ? (d - ad).TotalHours : null,
        ["status"] = status,
        ["arrival_ward_id"] = arrived is null ? null : "ED",
        ["first_ward_id"] = firstWard,
        ["last_ward_id"] = lastWard,
        ["transfers"] = transfers,
        ["discharged_from_ed"] = discharged is not null && admitted is null,
        ["date_key"] = GoldKeys.DateKey((arrived ?? admitted)!.Value),
    };

    public static GoldRow Census(string wardId, DateTimeOffset hourStart, int beds, int occupancyAtEnd, int present, double bedHours, int admissions = 0, int discharges = 0, int transfersIn = 0, int transfersOut = 0) => new()
    {
        ["hour_key"] = GoldKeys.HourKey(hourStart),
        ["ward_id"] = wardId,
        ["ward_sk"] = GoldKeys.WardVersion(wardId, GoldKeys.BeginningOfTime),
        ["hour_start"] = hourStart,
        ["date_key"] = GoldKeys.DateKey(hourStart),
        ["hour"] = hourStart.UtcDateTime.Hour,
        ["beds"] = beds,
        ["occupancy_at_end"] = occupancyAtEnd,
        ["patients_present"] = present,
        ["bed_hours"] = bedHours,
        ["admissions"] = admissions,
        ["discharges"] = discharges,
        ["transfers_in"] = transfersIn,
        ["transfers_out"] = transfersOut,
    };
}
