-- Port of sql/synapse/views/vw_emergency_waiting_time.sql (four-hour standard: waits over 240 minutes).
-- Sums are cast to BIGINT: DuckDB sums integers as HUGEINT, which many clients (and Power BI) cannot read.
CREATE OR REPLACE VIEW vw_emergency_waiting_time AS
SELECT
    e.hospital_id,
    CAST(e.arrived_at AS DATE) AS arrival_date,
    e.acuity,
    COUNT(*) AS arrivals,
    CAST(SUM(CASE WHEN e.admitted_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS admitted,
    CAST(SUM(CASE WHEN e.discharged_from_ed THEN 1 ELSE 0 END) AS BIGINT) AS discharged_from_ed,
    CAST(SUM(CASE WHEN e.status = 'waiting' THEN 1 ELSE 0 END) AS BIGINT) AS still_waiting,
    AVG(e.waiting_time_minutes) AS avg_waiting_time_minutes,
    MAX(e.waiting_time_minutes) AS max_waiting_time_minutes,
    CAST(SUM(CASE WHEN e.waiting_time_minutes > 240 THEN 1 ELSE 0 END) AS BIGINT) AS waits_over_4_hours
FROM dw.fact_encounter AS e
WHERE e.arrived_at IS NOT NULL
GROUP BY e.hospital_id, CAST(e.arrived_at AS DATE), e.acuity;
