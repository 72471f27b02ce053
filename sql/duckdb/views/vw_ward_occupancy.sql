-- Port of sql/synapse/views/vw_ward_occupancy.sql (same columns and meaning). DuckDB keeps the views in its main
-- schema, so `hc warehouse query "select * from vw_ward_occupancy"` needs no schema name.
CREATE OR REPLACE VIEW vw_ward_occupancy AS
SELECT
    w.hospital_id,
    w.ward_id,
    w.name AS ward_name,
    w.department,
    w.beds,
    COALESCE(o.occupied_beds, 0) AS occupied_beds,
    w.beds - COALESCE(o.occupied_beds, 0) AS free_beds,
    CASE WHEN w.beds > 0 THEN CAST(COALESCE(o.occupied_beds, 0) AS DOUBLE) / w.beds END AS occupancy_rate
FROM dw.dim_ward AS w
LEFT JOIN
(
    SELECT s.ward_id, COUNT(*) AS occupied_beds
    FROM dw.fact_ward_stay AS s
    WHERE s.is_open
    GROUP BY s.ward_id
) AS o
    ON o.ward_id = w.ward_id
WHERE w.is_current;
