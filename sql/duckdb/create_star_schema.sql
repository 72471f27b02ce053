-- HealthcareOrleans star schema for the embedded DuckDB warehouse ($HC_DATA_DIR/warehouse.duckdb).
-- The same tables, columns and keys as sql/synapse/create_star_schema.sql; DuckDB has no distributions or index
-- choices to make (it stores every table in compressed column segments). Timestamps are UTC (TIMESTAMP holding
-- the UTC wall clock; the loader sets TimeZone = 'UTC' before it reads Gold's UTC-adjusted Parquet timestamps).
-- Idempotent: run at every start by the warehouse loader.

CREATE SCHEMA IF NOT EXISTS dw;
CREATE SCHEMA IF NOT EXISTS stg;
CREATE SCHEMA IF NOT EXISTS etl;

CREATE TABLE IF NOT EXISTS dw.dim_patient
(
    patient_sk     BIGINT    NOT NULL PRIMARY KEY,
    patient_dk     BIGINT    NOT NULL,
    patient_id     VARCHAR   NOT NULL,
    gender         VARCHAR,
    age_band       VARCHAR,
    postal_region  VARCHAR,
    payer          VARCHAR,
    valid_from     TIMESTAMP NOT NULL,
    valid_to       TIMESTAMP NOT NULL,
    is_current     BOOLEAN   NOT NULL,
    version        INTEGER   NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.dim_ward
(
    ward_sk      BIGINT    NOT NULL PRIMARY KEY,
    ward_id      VARCHAR   NOT NULL,
    hospital_id  VARCHAR   NOT NULL,
    name         VARCHAR   NOT NULL,
    department   VARCHAR   NOT NULL,
    beds         INTEGER   NOT NULL,
    valid_from   TIMESTAMP NOT NULL,
    valid_to     TIMESTAMP NOT NULL,
    is_current   BOOLEAN   NOT NULL,
    version      INTEGER   NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.dim_date
(
    date_key     INTEGER NOT NULL PRIMARY KEY,
    "date"       DATE    NOT NULL,
    "year"       INTEGER NOT NULL,
    quarter      INTEGER NOT NULL,
    "month"      INTEGER NOT NULL,
    month_name   VARCHAR NOT NULL,
    "day"        INTEGER NOT NULL,
    day_of_week  INTEGER NOT NULL,
    day_name     VARCHAR NOT NULL,
    is_weekend   BOOLEAN NOT NULL,
    iso_week     INTEGER NOT NULL,
    iso_year     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.fact_encounter
(
    encounter_id          VARCHAR   NOT NULL PRIMARY KEY,
    patient_sk            BIGINT    NOT NULL,
    patient_dk            BIGINT    NOT NULL,
    hospital_id           VARCHAR,
    department            VARCHAR,
    acuity                INTEGER,
    arrived_at            TIMESTAMP,
    admitted_at           TIMESTAMP,
    discharged_at         TIMESTAMP,
    waiting_time_minutes  DOUBLE,
    length_of_stay_hours  DOUBLE,
    status                VARCHAR   NOT NULL,
    arrival_ward_id       VARCHAR,
    first_ward_id         VARCHAR,
    last_ward_id          VARCHAR,
    transfers             INTEGER   NOT NULL,
    discharged_from_ed    BOOLEAN   NOT NULL,
    date_key              INTEGER   NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.fact_ward_stay
(
    stay_id               VARCHAR   NOT NULL PRIMARY KEY,
    patient_sk            BIGINT    NOT NULL,
    patient_dk            BIGINT    NOT NULL,
    ward_sk               BIGINT    NOT NULL,
    encounter_id          VARCHAR   NOT NULL,
    hospital_id           VARCHAR,
    ward_id               VARCHAR   NOT NULL,
    bed_id                VARCHAR,
    entered_at            TIMESTAMP NOT NULL,
    left_at               TIMESTAMP,
    length_of_stay_hours  DOUBLE,
    date_key              INTEGER   NOT NULL,
    is_open               BOOLEAN   NOT NULL,
    entry_kind            VARCHAR   NOT NULL,
    exit_kind             VARCHAR
);

CREATE TABLE IF NOT EXISTS dw.fact_ward_census_hourly
(
    hour_key          BIGINT    NOT NULL,
    ward_id           VARCHAR   NOT NULL,
    ward_sk           BIGINT    NOT NULL,
    hour_start        TIMESTAMP NOT NULL,
    date_key          INTEGER   NOT NULL,
    "hour"            INTEGER   NOT NULL,
    beds              INTEGER   NOT NULL,
    occupancy_at_end  INTEGER   NOT NULL,
    patients_present  INTEGER   NOT NULL,
    bed_hours         DOUBLE    NOT NULL,
    admissions        INTEGER   NOT NULL,
    discharges        INTEGER   NOT NULL,
    transfers_in      INTEGER   NOT NULL,
    transfers_out     INTEGER   NOT NULL,
    PRIMARY KEY (hour_key, ward_id)
);

-- Staging: the rows of one Gold version, replaced at every load (one writer per DuckDB file). No keys: a Gold
-- version with duplicate keys must reach the loader's uniqueness check, not fail half-way through an insert.
CREATE TABLE IF NOT EXISTS stg.dim_patient AS SELECT * FROM dw.dim_patient LIMIT 0;
CREATE TABLE IF NOT EXISTS stg.dim_ward AS SELECT * FROM dw.dim_ward LIMIT 0;
CREATE TABLE IF NOT EXISTS stg.dim_date AS SELECT * FROM dw.dim_date LIMIT 0;
CREATE TABLE IF NOT EXISTS stg.fact_encounter AS SELECT * FROM dw.fact_encounter LIMIT 0;
CREATE TABLE IF NOT EXISTS stg.fact_ward_stay AS SELECT * FROM dw.fact_ward_stay LIMIT 0;
CREATE TABLE IF NOT EXISTS stg.fact_ward_census_hourly AS SELECT * FROM dw.fact_ward_census_hourly LIMIT 0;

-- One row per table load, written in the load's transaction: the newest row of a table says which Gold Delta table
-- (metaData id) and version it equals. Loading a recorded version again does nothing (ARCHITECTURE.md guarantee 6).
CREATE TABLE IF NOT EXISTS etl.load_log
(
    table_name      VARCHAR   NOT NULL,
    delta_table_id  VARCHAR   NOT NULL,
    delta_version   BIGINT    NOT NULL,
    loaded_at       TIMESTAMP NOT NULL,
    load_path       VARCHAR   NOT NULL,
    rows_staged     BIGINT    NOT NULL,
    rows_inserted   BIGINT    NOT NULL,
    rows_updated    BIGINT    NOT NULL,
    rows_closed     BIGINT    NOT NULL,
    rows_deleted    BIGINT    NOT NULL
);
