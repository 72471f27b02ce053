-- Port of sql/synapse/views/vw_length_of_stay_by_department_month.sql.
CREATE OR REPLACE VIEW vw_length_of_stay_by_department_month AS
SELECT
    e.hospital_id,
    e.department,
    CAST(year(e.discharged_at) AS INTEGER) AS "year",
    CAST(month(e.discharged_at) AS INTEGER) AS "month",
    make_date(CAST(year(e.discharged_at) AS INTEGER), CAST(month(e.discharged_at) AS INTEGER), 1) AS month_start,
    COUNT(*) AS discharges,
    SUM(e.length_of_stay_hours) AS total_length_of_stay_hours,
    AVG(e.length_of_stay_hours) AS avg_length_of_stay_hours,
    AVG(e.length_of_stay_hours) / 24.0 AS avg_length_of_stay_days,
    MIN(e.length_of_stay_hours) AS min_length_of_stay_hours,
    MAX(e.length_of_stay_hours) AS max_length_of_stay_hours
FROM dw.fact_encounter AS e
WHERE e.discharged_at IS NOT NULL
  AND e.length_of_stay_hours IS NOT NULL
GROUP BY e.hospital_id, e.department, year(e.discharged_at), month(e.discharged_at);
