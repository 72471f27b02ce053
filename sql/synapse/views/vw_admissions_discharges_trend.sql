-- Daily arrivals, admissions and discharges (UTC dates) by hospital and department: the patient-flow trend.
-- Each encounter counts once on its arrival date, once on its admission date and once on its discharge date.
IF OBJECT_ID(N'bi.vw_admissions_discharges_trend') IS NOT NULL DROP VIEW bi.vw_admissions_discharges_trend;
GO
CREATE VIEW bi.vw_admissions_discharges_trend
AS
SELECT
    m.hospital_id,
    m.department,
    m.activity_date,
    SUM(m.arrivals) AS arrivals,
    SUM(m.admissions) AS admissions,
    SUM(m.discharges) AS discharges,
    SUM(m.admissions) - SUM(m.discharges) AS net_admissions
FROM
(
    SELECT e.hospital_id, e.department, CAST(e.arrived_at AS date) AS activity_date, 1 AS arrivals, 0 AS admissions, 0 AS discharges
    FROM dw.fact_encounter AS e
    WHERE e.arrived_at IS NOT NULL
    UNION ALL
    SELECT e.hospital_id, e.department, CAST(e.admitted_at AS date), 0, 1, 0
    FROM dw.fact_encounter AS e
    WHERE e.admitted_at IS NOT NULL
    UNION ALL
    SELECT e.hospital_id, e.department, CAST(e.discharged_at AS date), 0, 0, 1
    FROM dw.fact_encounter AS e
    WHERE e.discharged_at IS NOT NULL
) AS m
GROUP BY m.hospital_id, m.department, m.activity_date;
GO
