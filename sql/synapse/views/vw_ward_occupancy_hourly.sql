-- Ward occupancy by UTC hour, with the ward as it was defined in that hour (ward_sk is the SCD2 version).
-- average_occupancy_rate: occupied bed time within the hour over the beds (bed_hours / beds, utilisation);
-- occupancy_rate_at_end: patients in a bed when the hour ended over the beds (the hourly "midnight census").
IF OBJECT_ID(N'bi.vw_ward_occupancy_hourly') IS NOT NULL DROP VIEW bi.vw_ward_occupancy_hourly;
GO
CREATE VIEW bi.vw_ward_occupancy_hourly
AS
SELECT
    c.hour_start,
    c.date_key,
    d.[date],
    c.[hour],
    w.hospital_id,
    c.ward_id,
    w.name AS ward_name,
    w.department,
    c.beds,
    c.occupancy_at_end,
    c.patients_present,
    c.bed_hours,
    CASE WHEN c.beds > 0 THEN c.bed_hours / c.beds END AS average_occupancy_rate,
    CASE WHEN c.beds > 0 THEN CAST(c.occupancy_at_end AS float) / c.beds END AS occupancy_rate_at_end,
    c.admissions,
    c.discharges,
    c.transfers_in,
    c.transfers_out
FROM dw.fact_ward_census_hourly AS c
JOIN dw.dim_ward AS w
    ON w.ward_sk = c.ward_sk
JOIN dw.dim_date AS d
    ON d.date_key = c.date_key;
GO
