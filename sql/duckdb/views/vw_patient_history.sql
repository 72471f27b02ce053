-- Port of sql/synapse/views/vw_patient_history.sql (SCD2 versions; valid_to exclusive, 9999-12-31 when current).
CREATE OR REPLACE VIEW vw_patient_history AS
SELECT
    p.patient_dk,
    p.patient_id,
    p.patient_sk,
    p.version,
    p.gender,
    p.age_band,
    p.postal_region,
    p.payer,
    p.valid_from,
    p.valid_to,
    p.is_current
FROM dw.dim_patient AS p;
