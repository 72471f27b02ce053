-- Patients as of a date: for every calendar date (dim_date), the version of each patient in effect at the end of
-- that UTC day, i.e. valid_from <= t < valid_to for t just before the next midnight. Filter on as_of_date (a Power BI
-- single-date slicer): the predicate reaches both tables, so only that date's versions are read. Patients who
-- did not exist yet on that date have no row. No patient_id: reports aggregate by the generalised attributes.
IF OBJECT_ID(N'bi.vw_patient_as_of_date') IS NOT NULL DROP VIEW bi.vw_patient_as_of_date;
GO
CREATE VIEW bi.vw_patient_as_of_date
AS
SELECT
    d.[date] AS as_of_date,
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
    ON p.valid_from < DATEADD(day, 1, CAST(d.[date] AS datetime2(6)))
   AND p.valid_to >= DATEADD(day, 1, CAST(d.[date] AS datetime2(6)));
GO
