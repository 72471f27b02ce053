-- Ward occupancy now: every current ward with its beds and the patients in a bed at the last Gold load.
-- "Now" is the warehouse's last load of fact_ward_stay (etl.load_log); open stays are the ones without left_at.
-- occupancy_rate > 1 means more patients than staffed beds (corridor care, escalation beds).
IF OBJECT_ID(N'bi.vw_ward_occupancy') IS NOT NULL DROP VIEW bi.vw_ward_occupancy;
GO
CREATE VIEW bi.vw_ward_occupancy
AS
SELECT
    w.hospital_id,
    w.ward_id,
    w.name AS ward_name,
    w.department,
    w.beds,
    COALESCE(o.occupied_beds, 0) AS occupied_beds,
    w.beds - COALESCE(o.occupied_beds, 0) AS free_beds,
    CASE WHEN w.beds > 0 THEN CAST(COALESCE(o.occupied_beds, 0) AS float) / w.beds END AS occupancy_rate
FROM dw.dim_ward AS w
LEFT JOIN
(
    SELECT s.ward_id, COUNT(*) AS occupied_beds
    FROM dw.fact_ward_stay AS s
    WHERE s.is_open = 1
    GROUP BY s.ward_id
) AS o
    ON o.ward_id = w.ward_id
WHERE w.is_current = 1;
GO
