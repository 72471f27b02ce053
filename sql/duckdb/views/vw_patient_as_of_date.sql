-- Port of sql/synapse/views/vw_patient_as_of_date.sql: the version in effect at the end of each UTC day.
CREATE OR REPLACE VIEW vw_patient_as_of_date AS
SELECT
    d."date" AS as_of_date,
    d.date_key,
    p.patient_dk,
    p.patient_sk,
    p.version,
    p.gender,
    p.age_band,
    p.postal_region,
    p.payer
FROM dw.dim_date AS d
JOIN dw.dim_patient AS p
    ON p.valid_from < CAST(d."date" AS TIMESTAMP) + INTERVAL 1 DAY
   AND p.valid_to >= CAST(d."date" AS TIMESTAMP) + INTERVAL 1 DAY;
