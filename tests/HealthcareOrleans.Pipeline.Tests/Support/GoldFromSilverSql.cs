namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// Gold recomputed from <c>silver_events</c> in DuckDB SQL, from the README's rules alone (not the project's Gold code):
/// for the patients whose events hold no cancel (<c>scope</c>); the census from the stays Gold holds. Times are compared
/// as epoch microseconds, the patient as patient_id (Gold facts carry the durable key, resolved through dim_patient).
/// </summary>
public static class GoldFromSilverSql
{
    private const string OpenEnd = "epoch_us(TIMESTAMP '9999-12-31 00:00:00')";
    private const string HourUs = "3600000000";

    public const string Scope = """
        CREATE TEMP TABLE ev AS
        SELECT event_id, event_type, epoch_us(occurred_at) AS t, hospital_id, patient_id, encounter_id, ward_id, bed_id,
               department, acuity, gender, age_band, postal_region, payer, source_partition AS sp, source_offset AS so
        FROM silver_events
        WHERE patient_id NOT IN (SELECT patient_id FROM silver_events WHERE event_type LIKE 'CANCEL_%');
        CREATE TEMP TABLE dk AS SELECT DISTINCT patient_dk, patient_id FROM gold_dim_patient;
        """;

    /// <summary>SCD2: stated attributes merge onto the current ones; one version per instant whose merged value changed.</summary>
    public const string DimPatient = $"""
        WITH stated AS (
            SELECT patient_id, t, sp, so,
                   last_value(gender IGNORE NULLS) OVER w AS gender, last_value(age_band IGNORE NULLS) OVER w AS age_band,
                   last_value(postal_region IGNORE NULLS) OVER w AS postal_region, last_value(payer IGNORE NULLS) OVER w AS payer
            FROM ev WHERE coalesce(gender, age_band, postal_region, payer) IS NOT NULL
            WINDOW w AS (PARTITION BY patient_id ORDER BY t, sp, so ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
        instants AS (
            SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY patient_id, t ORDER BY sp DESC, so DESC) AS r FROM stated) WHERE r = 1),
        changes AS (
            SELECT * FROM (
                SELECT *, row_number() OVER p AS n, lag(gender) OVER p AS pg, lag(age_band) OVER p AS pa,
                       lag(postal_region) OVER p AS pr, lag(payer) OVER p AS pp
                FROM instants WINDOW p AS (PARTITION BY patient_id ORDER BY t))
            WHERE n = 1 OR gender IS DISTINCT FROM pg OR age_band IS DISTINCT FROM pa OR postal_region IS DISTINCT FROM pr OR payer IS DISTINCT FROM pp),
        versions AS (
            SELECT patient_id, gender, age_band, postal_region, payer, t AS valid_from,
                   coalesce(lead(t) OVER v, {OpenEnd}) AS valid_to, lead(t) OVER v IS NULL AS is_current,
                   CAST(row_number() OVER v AS INTEGER) AS version
            FROM changes WINDOW v AS (PARTITION BY patient_id ORDER BY t))
        SELECT * FROM versions
        UNION ALL
        SELECT DISTINCT patient_id, NULL, NULL, NULL, NULL, epoch_us(TIMESTAMP '1900-01-01 00:00:00'), {OpenEnd}, true, 0
        FROM ev WHERE patient_id NOT IN (SELECT patient_id FROM versions)
        """;

    public const string ActualDimPatient = """
        SELECT patient_id, gender, age_band, postal_region, payer, epoch_us(valid_from), epoch_us(valid_to), is_current, version
        FROM gold_dim_patient WHERE patient_id IN (SELECT patient_id FROM ev)
        """;

    /// <summary>Encounters and their stays: ADMIT and each TRANSFER to another ward start a stay; the next one, the discharge or a later encounter's start ends it.</summary>
    private const string Encounters = """
        enc_events AS (SELECT * FROM ev WHERE encounter_id IS NOT NULL),
        moves AS (
            SELECT * FROM (
                SELECT patient_id, encounter_id, event_type, ward_id, bed_id, t, sp, so,
                       lag(ward_id) OVER m AS previous_ward
                FROM enc_events WHERE event_type IN ('ADMIT', 'TRANSFER') AND ward_id IS NOT NULL
                WINDOW m AS (PARTITION BY patient_id, encounter_id ORDER BY t, sp, so))
            WHERE event_type = 'ADMIT' OR ward_id IS DISTINCT FROM previous_ward),
        enc AS (
            SELECT patient_id, encounter_id,
                   arg_min(hospital_id, t) AS hospital_id,
                   coalesce(min(department) FILTER (WHERE event_type = 'ADMIT'), min(department) FILTER (WHERE event_type = 'ARRIVAL')) AS department,
                   min(t) FILTER (WHERE event_type = 'ARRIVAL') AS arrived_at,
                   min(t) FILTER (WHERE event_type = 'ADMIT') AS admitted_at,
                   min(t) FILTER (WHERE event_type = 'DISCHARGE') AS discharged_at,
                   min(ward_id) FILTER (WHERE event_type = 'ARRIVAL') AS arrival_ward_id,
                   min(t) FILTER (WHERE event_type IN ('ARRIVAL', 'ADMIT')) AS started_at
            FROM enc_events GROUP BY patient_id, encounter_id),
        acuity AS (
            SELECT DISTINCT patient_id, encounter_id,
                   last_value(acuity IGNORE NULLS) OVER (PARTITION BY patient_id, encounter_id ORDER BY t, sp, so
                       ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS acuity
            FROM enc_events),
        ended AS (
            SELECT *, lead(started_at) OVER (PARTITION BY patient_id ORDER BY started_at) AS next_start FROM enc),
        stays AS (
            SELECT m.*, row_number() OVER s AS k, count(*) OVER (PARTITION BY m.patient_id, m.encounter_id) AS n,
                   lead(m.t) OVER s AS next_at
            FROM moves m WINDOW s AS (PARTITION BY m.patient_id, m.encounter_id ORDER BY m.t, m.sp, m.so)),
        stay_rows AS (
            SELECT s.*, e.hospital_id,
                   CASE WHEN s.next_at IS NOT NULL THEN s.next_at WHEN e.discharged_at IS NOT NULL THEN e.discharged_at ELSE e.next_start END AS left_at,
                   CASE WHEN s.next_at IS NOT NULL THEN 'transfer' WHEN e.discharged_at IS NOT NULL THEN 'discharge'
                        WHEN e.next_start IS NOT NULL THEN 'superseded' END AS exit_kind
            FROM stays s JOIN ended e USING (patient_id, encounter_id)),
        beds AS (
            -- A bed move (an UPDATE with a bed, or a TRANSFER within the ward) changes the bed of the stay it falls in.
            SELECT r.patient_id, r.encounter_id, r.t AS entered_at,
                   coalesce(arg_max(b.bed_id, b.t * 100000 + b.so) FILTER (WHERE b.bed_id IS NOT NULL), r.bed_id) AS bed_id
            FROM stay_rows r LEFT JOIN enc_events b
              ON b.patient_id = r.patient_id AND b.encounter_id = r.encounter_id AND b.bed_id IS NOT NULL
             AND (b.event_type = 'UPDATE' OR (b.event_type = 'TRANSFER' AND b.ward_id = r.ward_id))
             AND b.t >= r.t AND (r.left_at IS NULL OR b.t < r.left_at) AND NOT (b.t = r.t AND b.so = r.so)
            GROUP BY r.patient_id, r.encounter_id, r.t, r.bed_id)
        """;

    public const string FactWardStay = $"""
        WITH {Encounters}
        SELECT r.patient_id,
               r.encounter_id || '|' || r.ward_id || '|' || strftime(make_timestamp(r.t), '%Y%m%dT%H%M%S') || '.' || lpad(CAST((r.t % 1000000) * 10 AS VARCHAR), 7, '0') || 'Z' AS stay_id,
               r.encounter_id, r.hospital_id, r.ward_id, b.bed_id, r.t AS entered_at, r.left_at,
               (r.left_at - r.t) / {HourUs}.0 AS length_of_stay_hours,
               CAST(strftime(make_timestamp(r.t), '%Y%m%d') AS INTEGER) AS date_key, r.left_at IS NULL AS is_open,
               CASE WHEN r.k = 1 THEN 'admission' ELSE 'transfer' END AS entry_kind, r.exit_kind
        FROM stay_rows r JOIN beds b ON b.patient_id = r.patient_id AND b.encounter_id = r.encounter_id AND b.entered_at = r.t
        """;

    public const string ActualFactWardStay = """
        SELECT dk.patient_id, stay_id, encounter_id, hospital_id, ward_id, bed_id, epoch_us(entered_at), epoch_us(left_at),
               length_of_stay_hours, date_key, is_open, entry_kind, exit_kind
        FROM gold_fact_ward_stay JOIN dk USING (patient_dk) WHERE dk.patient_id IN (SELECT patient_id FROM ev)
        """;

    public const string FactEncounter = $"""
        WITH {Encounters},
        journey AS (
            SELECT patient_id, encounter_id, arg_min(ward_id, k) AS first_ward_id, arg_max(ward_id, k) AS last_ward_id, CAST(count(*) - 1 AS INTEGER) AS transfers
            FROM stays GROUP BY patient_id, encounter_id)
        SELECT e.patient_id, e.encounter_id, e.hospital_id, e.department, a.acuity, e.arrived_at, e.admitted_at, e.discharged_at,
               (e.admitted_at - e.arrived_at) / 60000000.0 AS waiting_time_minutes,
               (e.discharged_at - e.admitted_at) / {HourUs}.0 AS length_of_stay_hours,
               CASE WHEN e.discharged_at IS NOT NULL THEN 'discharged' WHEN e.next_start IS NOT NULL THEN 'superseded'
                    WHEN e.admitted_at IS NULL THEN 'waiting' ELSE 'admitted' END AS status,
               e.arrival_ward_id, j.first_ward_id, j.last_ward_id, coalesce(j.transfers, 0) AS transfers,
               e.discharged_at IS NOT NULL AND e.admitted_at IS NULL AS discharged_from_ed,
               CAST(strftime(make_timestamp(coalesce(e.arrived_at, e.admitted_at, e.discharged_at, e.next_start)), '%Y%m%d') AS INTEGER) AS date_key
        FROM ended e JOIN acuity a USING (patient_id, encounter_id) LEFT JOIN journey j USING (patient_id, encounter_id)
        """;

    public const string ActualFactEncounter = """
        SELECT dk.patient_id, encounter_id, hospital_id, department, acuity, epoch_us(arrived_at), epoch_us(admitted_at), epoch_us(discharged_at),
               waiting_time_minutes, length_of_stay_hours, status, arrival_ward_id, first_ward_id, last_ward_id, transfers,
               discharged_from_ed, date_key
        FROM gold_fact_encounter JOIN dk USING (patient_dk) WHERE dk.patient_id IN (SELECT patient_id FROM ev)
        """;

    /// <summary>The hourly census of every ward from the stays (all patients): the definitions of the README's Gold section.</summary>
    public const string FactWardCensusHourly = $"""
        WITH s AS (
            SELECT ward_id, epoch_us(entered_at) AS entered, epoch_us(left_at) AS left_at, entry_kind, exit_kind FROM gold_fact_ward_stay),
        bounds AS (
            SELECT min(entered) - min(entered) % {HourUs} AS first_hour,
                   max(CASE WHEN left_at > entered THEN left_at ELSE entered END) AS watermark FROM s),
        hours AS (SELECT unnest(range(first_hour, watermark - watermark % {HourUs} + 1, {HourUs})) AS h, watermark FROM bounds),
        wards AS (SELECT ward_id, beds FROM layout_wards UNION SELECT DISTINCT ward_id, 0 FROM s WHERE ward_id NOT IN (SELECT ward_id FROM layout_wards)),
        grid AS (SELECT w.ward_id, w.beds, hours.h, hours.watermark FROM wards w CROSS JOIN hours)
        SELECT g.ward_id, g.h AS hour_start, CAST(strftime(make_timestamp(g.h), '%Y%m%d') AS INTEGER) AS date_key,
               CAST(hour(make_timestamp(g.h)) AS INTEGER) AS hour, g.beds,
               CAST(count(s.entered) FILTER (WHERE s.left_at IS NULL OR s.left_at - s.left_at % {HourUs} > g.h) AS INTEGER) AS occupancy_at_end,
               CAST(count(s.entered) FILTER (WHERE s.left_at IS NULL OR s.left_at > g.h) AS INTEGER) AS patients_present,
               coalesce(sum(greatest(0, least(coalesce(s.left_at, g.watermark), g.h + {HourUs}) - greatest(s.entered, g.h))) FILTER (WHERE s.entered IS NOT NULL), 0) / {HourUs}.0 AS bed_hours,
               CAST(count(s.entered) FILTER (WHERE s.entered - s.entered % {HourUs} = g.h AND s.entry_kind = 'admission') AS INTEGER) AS admissions,
               CAST(count(s.entered) FILTER (WHERE s.left_at - s.left_at % {HourUs} = g.h AND s.exit_kind = 'discharge') AS INTEGER) AS discharges,
               CAST(count(s.entered) FILTER (WHERE s.entered - s.entered % {HourUs} = g.h AND s.entry_kind = 'transfer') AS INTEGER) AS transfers_in,
               CAST(count(s.entered) FILTER (WHERE s.left_at - s.left_at % {HourUs} = g.h AND s.exit_kind = 'transfer') AS INTEGER) AS transfers_out
        FROM grid g LEFT JOIN s ON s.ward_id = g.ward_id AND s.entered - s.entered % {HourUs} <= g.h
             AND (s.left_at IS NULL OR s.left_at - s.left_at % {HourUs} >= g.h)
        GROUP BY g.ward_id, g.beds, g.h, g.watermark
        """;

    public const string ActualFactWardCensusHourly = """
        SELECT ward_id, epoch_us(hour_start), date_key, hour, beds, occupancy_at_end, patients_present, bed_hours,
               admissions, discharges, transfers_in, transfers_out
        FROM gold_fact_ward_census_hourly
        """;
}
