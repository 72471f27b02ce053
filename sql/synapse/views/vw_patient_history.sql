-- Patient history through SCD Type 2: every version of a patient's tracked attributes with the period it held.
-- The attributes are already generalised in Gold (age band, postal region); patient_id stays for look-ups, so grant
-- this view only to roles allowed to see identifiers (HIPAA "minimum necessary"). valid_to is exclusive and
-- 9999-12-31 for the current version.
IF OBJECT_ID(N'bi.vw_patient_history') IS NOT NULL DROP VIEW bi.vw_patient_history;
GO
CREATE VIEW bi.vw_patient_history
AS
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
GO
