-- Emergency department waiting time: arrival to admission, by hospital, UTC arrival date and triage acuity.
-- waits_over_4_hours counts the waits beyond the four-hour emergency access standard (NHS England: admitted,
-- transferred or discharged within four hours of arrival). Patients still waiting have no waiting time yet and are
-- counted in still_waiting; patients sent home from the emergency department in discharged_from_ed.
IF OBJECT_ID(N'bi.vw_emergency_waiting_time') IS NOT NULL DROP VIEW bi.vw_emergency_waiting_time;
GO
CREATE VIEW bi.vw_emergency_waiting_time
AS
SELECT
    e.hospital_id,
    CAST(e.arrived_at AS date) AS arrival_date,
    e.acuity,
    COUNT(*) AS arrivals,
    SUM(CASE WHEN e.admitted_at IS NOT NULL THEN 1 ELSE 0 END) AS admitted,
    SUM(CASE WHEN e.discharged_from_ed = 1 THEN 1 ELSE 0 END) AS discharged_from_ed,
    SUM(CASE WHEN e.status = N'waiting' THEN 1 ELSE 0 END) AS still_waiting,
    AVG(e.waiting_time_minutes) AS avg_waiting_time_minutes,
    MAX(e.waiting_time_minutes) AS max_waiting_time_minutes,
    SUM(CASE WHEN e.waiting_time_minutes > 240 THEN 1 ELSE 0 END) AS waits_over_4_hours
FROM dw.fact_encounter AS e
WHERE e.arrived_at IS NOT NULL
GROUP BY e.hospital_id, CAST(e.arrived_at AS date), e.acuity;
GO
