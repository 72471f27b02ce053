-- Port of sql/synapse/views/vw_ward_occupancy_hourly.sql.
CREATE OR REPLACE VIEW vw_ward_occupancy_hourly AS
SELECT
    c.hour_start,
    c.date_key,
    d."date",
    c."hour",
    w.hospital_id,
    c.ward_id,
    w.name AS ward_name,
    w.department,
    c.beds,
    c.occupancy_at_end,
    c.patients_present,
    c.bed_hours,
    CASE WHEN c.beds > 0 THEN c.bed_hours / c.beds END AS average_occupancy_rate,
    CASE WHEN c.beds > 0 THEN CAST(c.occupancy_at_end AS DOUBLE) / c.beds END AS occupancy_rate_at_end,
    c.admissions,
    c.discharges,
    c.transfers_in,
    c.transfers_out
FROM dw.fact_ward_census_hourly AS c
JOIN dw.dim_ward AS w
    ON w.ward_sk = c.ward_sk
JOIN dw.dim_date AS d
    ON d.date_key = c.date_key;
