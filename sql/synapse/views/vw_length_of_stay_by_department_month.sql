-- Length of stay (admission to discharge) of discharged inpatient encounters, by hospital, department and the
-- calendar month (UTC) of discharge. Encounters discharged from the emergency department without admission have
-- no length of stay and are left out, as inpatient length-of-stay statistics define it.
IF OBJECT_ID(N'bi.vw_length_of_stay_by_department_month') IS NOT NULL DROP VIEW bi.vw_length_of_stay_by_department_month;
GO
CREATE VIEW bi.vw_length_of_stay_by_department_month
AS
SELECT
    e.hospital_id,
    e.department,
    YEAR(e.discharged_at) AS [year],
    MONTH(e.discharged_at) AS [month],
    DATEFROMPARTS(YEAR(e.discharged_at), MONTH(e.discharged_at), 1) AS month_start,
    COUNT(*) AS discharges,
    SUM(e.length_of_stay_hours) AS total_length_of_stay_hours,
    AVG(e.length_of_stay_hours) AS avg_length_of_stay_hours,
    AVG(e.length_of_stay_hours) / 24.0 AS avg_length_of_stay_days,
    MIN(e.length_of_stay_hours) AS min_length_of_stay_hours,
    MAX(e.length_of_stay_hours) AS max_length_of_stay_hours
FROM dw.fact_encounter AS e
WHERE e.discharged_at IS NOT NULL
  AND e.length_of_stay_hours IS NOT NULL
GROUP BY e.hospital_id, e.department, YEAR(e.discharged_at), MONTH(e.discharged_at);
GO
