-- Port of sql/synapse/views/vw_admissions_discharges_trend.sql.
-- Sums are cast to BIGINT: DuckDB sums integers as HUGEINT, which many clients (and Power BI) cannot read.
CREATE OR REPLACE VIEW vw_admissions_discharges_trend AS
SELECT
    m.hospital_id,
    m.department,
    m.activity_date,
    CAST(SUM(m.arrivals) AS BIGINT) AS arrivals,
    CAST(SUM(m.admissions) AS BIGINT) AS admissions,
    CAST(SUM(m.discharges) AS BIGINT) AS discharges,
    CAST(SUM(m.admissions) - SUM(m.discharges) AS BIGINT) AS net_admissions
FROM
(
    SELECT e.hospital_id, e.department, CAST(e.arrived_at AS DATE) AS activity_date, 1 AS arrivals, 0 AS admissions, 0 AS discharges
    FROM dw.fact_encounter AS e
    WHERE e.arrived_at IS NOT NULL
    UNION ALL
    SELECT e.hospital_id, e.department, CAST(e.admitted_at AS DATE), 0, 1, 0
    FROM dw.fact_encounter AS e
    WHERE e.admitted_at IS NOT NULL
    UNION ALL
    SELECT e.hospital_id, e.department, CAST(e.discharged_at AS DATE), 0, 0, 1
    FROM dw.fact_encounter AS e
    WHERE e.discharged_at IS NOT NULL
) AS m
GROUP BY m.hospital_id, m.department, m.activity_date;
