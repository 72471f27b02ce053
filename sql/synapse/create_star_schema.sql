-- HealthcareOrleans star schema for an Azure Synapse Analytics dedicated SQL pool.
-- Mirrors the six Gold Delta tables (gold/dim_*, gold/fact_*) column for column; the warehouse loader
-- (HealthcareOrleans.Warehouse, SynapseWarehouseLoader) keeps each table equal to one Gold Delta version.
-- Run once per database, as a user allowed to create schemas and tables. Safe to re-run: every object is created
-- only when missing.
--
-- Conventions
--   * Timestamps are UTC, datetime2(6): Gold stores microseconds adjusted to UTC (Delta PROTOCOL.md, timestamp type).
--   * SCD2 rows that are still current have valid_to = 9999-12-31, not NULL, so "valid_from <= @t AND @t < valid_to"
--     needs no IS NULL branch (see GoldKeys.OpenEnd).
--   * Primary keys are NONCLUSTERED NOT ENFORCED: the only kind a dedicated pool accepts ("PRIMARY KEY is only
--     supported when NONCLUSTERED and NOT ENFORCED are both used" - Synapse docs, table constraints). They inform the
--     optimizer; the loader checks uniqueness itself before it changes a table.
--
-- Schemas: dw (the star), stg (staging templates), etl (load log), bi (views for Power BI, in views/*.sql).

IF SCHEMA_ID(N'dw') IS NULL EXEC (N'CREATE SCHEMA dw');
IF SCHEMA_ID(N'stg') IS NULL EXEC (N'CREATE SCHEMA stg');
IF SCHEMA_ID(N'etl') IS NULL EXEC (N'CREATE SCHEMA etl');
IF SCHEMA_ID(N'bi') IS NULL EXEC (N'CREATE SCHEMA bi');
GO

-- ---------------------------------------------------------------------------------------------------------------
-- Dimensions: REPLICATE. A replicated table keeps a full copy on each compute node, so joining a fact to it moves
-- no data ("replicated tables work well for dimension tables in a star schema ... less than 2 GB compressed" -
-- Synapse docs, design guidance for replicated tables). Wards and dates are tiny; patients stay far below 2 GB
-- (about 150 bytes a version: 10 million versions is 1.5 GB uncompressed, much less in columnstore).
-- Dimension changes are small and rare next to reads, so the rebuild of the replicated copy after a load is cheap.
-- ---------------------------------------------------------------------------------------------------------------

IF OBJECT_ID(N'dw.dim_patient') IS NULL
CREATE TABLE dw.dim_patient
(
    patient_sk     bigint        NOT NULL,
    patient_dk     bigint        NOT NULL,
    patient_id     nvarchar(128) NOT NULL,
    gender         nvarchar(32)  NULL,
    age_band       nvarchar(32)  NULL,
    postal_region  nvarchar(32)  NULL,
    payer          nvarchar(128) NULL,
    valid_from     datetime2(6)  NOT NULL,
    valid_to       datetime2(6)  NOT NULL,
    is_current     bit           NOT NULL,
    version        int           NOT NULL
)
WITH
(
    DISTRIBUTION = REPLICATE,
    -- Millions of versions in a large network: columnstore compresses the repetitive attributes well and scans fast.
    CLUSTERED COLUMNSTORE INDEX
);
GO

IF OBJECT_ID(N'dw.dim_ward') IS NULL
CREATE TABLE dw.dim_ward
(
    ward_sk      bigint        NOT NULL,
    ward_id      nvarchar(128) NOT NULL,
    hospital_id  nvarchar(128) NOT NULL,
    name         nvarchar(200) NOT NULL,
    department   nvarchar(128) NOT NULL,
    beds         int           NOT NULL,
    valid_from   datetime2(6)  NOT NULL,
    valid_to     datetime2(6)  NOT NULL,
    is_current   bit           NOT NULL,
    version      int           NOT NULL
)
WITH
(
    DISTRIBUTION = REPLICATE,
    -- Hundreds of rows: far below the ~60 million rows (1 million per distribution) where columnstore pays off,
    -- so a clustered rowstore index on the join key ("for small tables ... consider heap or clustered index" -
    -- Synapse docs, indexing tables).
    CLUSTERED INDEX (ward_sk)
);
GO

IF OBJECT_ID(N'dw.dim_date') IS NULL
CREATE TABLE dw.dim_date
(
    date_key     int          NOT NULL,
    [date]       date         NOT NULL,
    [year]       int          NOT NULL,
    quarter      int          NOT NULL,
    [month]      int          NOT NULL,
    month_name   nvarchar(32) NOT NULL,
    [day]        int          NOT NULL,
    day_of_week  int          NOT NULL,
    day_name     nvarchar(32) NOT NULL,
    is_weekend   bit          NOT NULL,
    iso_week     int          NOT NULL,
    iso_year     int          NOT NULL
)
WITH
(
    DISTRIBUTION = REPLICATE,
    -- A few thousand rows (whole years): rowstore, clustered on the key every fact joins on.
    CLUSTERED INDEX (date_key)
);
GO

-- ---------------------------------------------------------------------------------------------------------------
-- Facts: HASH(encounter_id). Stays and encounters are joined on encounter_id (a stay belongs to one encounter), so
-- distributing both on it keeps each encounter's rows in one distribution and that join needs no data movement
-- ("choose a distribution column ... used in JOIN, GROUP BY ... with many unique values ... not updated" -
-- Synapse docs, guidance for distributed tables). It has one value per encounter (no skew), is never NULL and never
-- updated. Not a date column: the rows of one busy day would land in few distributions.
-- Clustered columnstore: encounters and stays grow to tens of millions of rows over the years of a hospital network,
-- the size where columnstore's compression and batch-mode scans are the default recommendation.
-- ---------------------------------------------------------------------------------------------------------------

IF OBJECT_ID(N'dw.fact_encounter') IS NULL
CREATE TABLE dw.fact_encounter
(
    encounter_id          nvarchar(128) NOT NULL,
    patient_sk            bigint        NOT NULL,
    patient_dk            bigint        NOT NULL,
    hospital_id           nvarchar(128) NULL,
    department            nvarchar(128) NULL,
    acuity                int           NULL,
    arrived_at            datetime2(6)  NULL,
    admitted_at           datetime2(6)  NULL,
    discharged_at         datetime2(6)  NULL,
    waiting_time_minutes  float         NULL,
    length_of_stay_hours  float         NULL,
    status                nvarchar(32)  NOT NULL,
    arrival_ward_id       nvarchar(128) NULL,
    first_ward_id         nvarchar(128) NULL,
    last_ward_id          nvarchar(128) NULL,
    transfers             int           NOT NULL,
    discharged_from_ed    bit           NOT NULL,
    date_key              int           NOT NULL
)
WITH
(
    DISTRIBUTION = HASH (encounter_id),
    CLUSTERED COLUMNSTORE INDEX
);
GO

IF OBJECT_ID(N'dw.fact_ward_stay') IS NULL
CREATE TABLE dw.fact_ward_stay
(
    stay_id               nvarchar(400) NOT NULL,
    patient_sk            bigint        NOT NULL,
    patient_dk            bigint        NOT NULL,
    ward_sk               bigint        NOT NULL,
    encounter_id          nvarchar(128) NOT NULL,
    hospital_id           nvarchar(128) NULL,
    ward_id               nvarchar(128) NOT NULL,
    bed_id                nvarchar(128) NULL,
    entered_at            datetime2(6)  NOT NULL,
    left_at               datetime2(6)  NULL,
    length_of_stay_hours  float         NULL,
    date_key              int           NOT NULL,
    is_open               bit           NOT NULL,
    entry_kind            nvarchar(32)  NOT NULL,
    exit_kind             nvarchar(32)  NULL
)
WITH
(
    DISTRIBUTION = HASH (encounter_id),
    CLUSTERED COLUMNSTORE INDEX
);
GO

-- The hourly census has one row per ward and hour: about 0.4 million rows a year for 50 wards. Its best
-- distribution column is hour_key: thousands of distinct values spread evenly, never updated, and a report over a
-- week touches 168 of them, so all distributions share the work (ward_id would be skewed: a few dozen values over
-- 60 distributions). It joins only replicated dimensions, so no co-location is lost. Below ~60 million rows a
-- columnstore's rowgroups stay small and poorly compressed, so a clustered rowstore index on the hour (the filter
-- every report uses) - switch to CLUSTERED COLUMNSTORE INDEX once it passes ~60 million rows.
IF OBJECT_ID(N'dw.fact_ward_census_hourly') IS NULL
CREATE TABLE dw.fact_ward_census_hourly
(
    hour_key          bigint        NOT NULL,
    ward_id           nvarchar(128) NOT NULL,
    ward_sk           bigint        NOT NULL,
    hour_start        datetime2(6)  NOT NULL,
    date_key          int           NOT NULL,
    [hour]            int           NOT NULL,
    beds              int           NOT NULL,
    occupancy_at_end  int           NOT NULL,
    patients_present  int           NOT NULL,
    bed_hours         float         NOT NULL,
    admissions        int           NOT NULL,
    discharges        int           NOT NULL,
    transfers_in      int           NOT NULL,
    transfers_out     int           NOT NULL
)
WITH
(
    DISTRIBUTION = HASH (hour_key),
    CLUSTERED INDEX (hour_key, ward_id)
);
GO

-- Natural keys, for the optimizer (not enforced; the loader rejects a Gold version with duplicate keys).
IF NOT EXISTS (SELECT 1 FROM sys.key_constraints WHERE name = N'pk_dim_patient')
    ALTER TABLE dw.dim_patient ADD CONSTRAINT pk_dim_patient PRIMARY KEY NONCLUSTERED (patient_sk) NOT ENFORCED;
IF NOT EXISTS (SELECT 1 FROM sys.key_constraints WHERE name = N'pk_dim_ward')
    ALTER TABLE dw.dim_ward ADD CONSTRAINT pk_dim_ward PRIMARY KEY NONCLUSTERED (ward_sk) NOT ENFORCED;
IF NOT EXISTS (SELECT 1 FROM sys.key_constraints WHERE name = N'pk_dim_date')
    ALTER TABLE dw.dim_date ADD CONSTRAINT pk_dim_date PRIMARY KEY NONCLUSTERED (date_key) NOT ENFORCED;
IF NOT EXISTS (SELECT 1 FROM sys.key_constraints WHERE name = N'pk_fact_encounter')
    ALTER TABLE dw.fact_encounter ADD CONSTRAINT pk_fact_encounter PRIMARY KEY NONCLUSTERED (encounter_id) NOT ENFORCED;
IF NOT EXISTS (SELECT 1 FROM sys.key_constraints WHERE name = N'pk_fact_ward_stay')
    ALTER TABLE dw.fact_ward_stay ADD CONSTRAINT pk_fact_ward_stay PRIMARY KEY NONCLUSTERED (stay_id) NOT ENFORCED;
IF NOT EXISTS (SELECT 1 FROM sys.key_constraints WHERE name = N'pk_fact_ward_census_hourly')
    ALTER TABLE dw.fact_ward_census_hourly ADD CONSTRAINT pk_fact_ward_census_hourly PRIMARY KEY NONCLUSTERED (hour_key, ward_id) NOT ENFORCED;
GO

-- ---------------------------------------------------------------------------------------------------------------
-- Staging templates. Each load creates its own staging table from one of these with CTAS (so two loads never share
-- rows), fills it by COPY INTO or SqlBulkCopy, applies set-based statements and drops it.
-- Heaps: "load data into a staging table with a heap ... the fastest way to load" (Synapse docs, data loading best
-- practices). Fact staging is HASH-distributed like its target, so the update/insert/delete joins on the key stay
-- inside each distribution; dimension staging is ROUND_ROBIN (its target is replicated, so any layout joins locally).
-- ---------------------------------------------------------------------------------------------------------------

IF OBJECT_ID(N'stg.dim_patient') IS NULL
CREATE TABLE stg.dim_patient
(
    patient_sk bigint NOT NULL, patient_dk bigint NOT NULL, patient_id nvarchar(128) NOT NULL,
    gender nvarchar(32) NULL, age_band nvarchar(32) NULL, postal_region nvarchar(32) NULL, payer nvarchar(128) NULL,
    valid_from datetime2(6) NOT NULL, valid_to datetime2(6) NOT NULL, is_current bit NOT NULL, version int NOT NULL
)
WITH (DISTRIBUTION = ROUND_ROBIN, HEAP);
GO

IF OBJECT_ID(N'stg.dim_ward') IS NULL
CREATE TABLE stg.dim_ward
(
    ward_sk bigint NOT NULL, ward_id nvarchar(128) NOT NULL, hospital_id nvarchar(128) NOT NULL, name nvarchar(200) NOT NULL,
    department nvarchar(128) NOT NULL, beds int NOT NULL, valid_from datetime2(6) NOT NULL, valid_to datetime2(6) NOT NULL,
    is_current bit NOT NULL, version int NOT NULL
)
WITH (DISTRIBUTION = ROUND_ROBIN, HEAP);
GO

IF OBJECT_ID(N'stg.dim_date') IS NULL
CREATE TABLE stg.dim_date
(
    date_key int NOT NULL, [date] date NOT NULL, [year] int NOT NULL, quarter int NOT NULL, [month] int NOT NULL,
    month_name nvarchar(32) NOT NULL, [day] int NOT NULL, day_of_week int NOT NULL, day_name nvarchar(32) NOT NULL,
    is_weekend bit NOT NULL, iso_week int NOT NULL, iso_year int NOT NULL
)
WITH (DISTRIBUTION = ROUND_ROBIN, HEAP);
GO

IF OBJECT_ID(N'stg.fact_encounter') IS NULL
CREATE TABLE stg.fact_encounter
(
    encounter_id nvarchar(128) NOT NULL, patient_sk bigint NOT NULL, patient_dk bigint NOT NULL, hospital_id nvarchar(128) NULL,
    department nvarchar(128) NULL, acuity int NULL, arrived_at datetime2(6) NULL, admitted_at datetime2(6) NULL,
    discharged_at datetime2(6) NULL, waiting_time_minutes float NULL, length_of_stay_hours float NULL, status nvarchar(32) NOT NULL,
    arrival_ward_id nvarchar(128) NULL, first_ward_id nvarchar(128) NULL, last_ward_id nvarchar(128) NULL, transfers int NOT NULL,
    discharged_from_ed bit NOT NULL, date_key int NOT NULL
)
WITH (DISTRIBUTION = HASH (encounter_id), HEAP);
GO

IF OBJECT_ID(N'stg.fact_ward_stay') IS NULL
CREATE TABLE stg.fact_ward_stay
(
    stay_id nvarchar(400) NOT NULL, patient_sk bigint NOT NULL, patient_dk bigint NOT NULL, ward_sk bigint NOT NULL,
    encounter_id nvarchar(128) NOT NULL, hospital_id nvarchar(128) NULL, ward_id nvarchar(128) NOT NULL, bed_id nvarchar(128) NULL,
    entered_at datetime2(6) NOT NULL, left_at datetime2(6) NULL, length_of_stay_hours float NULL, date_key int NOT NULL,
    is_open bit NOT NULL, entry_kind nvarchar(32) NOT NULL, exit_kind nvarchar(32) NULL
)
WITH (DISTRIBUTION = HASH (encounter_id), HEAP);
GO

IF OBJECT_ID(N'stg.fact_ward_census_hourly') IS NULL
CREATE TABLE stg.fact_ward_census_hourly
(
    hour_key bigint NOT NULL, ward_id nvarchar(128) NOT NULL, ward_sk bigint NOT NULL, hour_start datetime2(6) NOT NULL,
    date_key int NOT NULL, [hour] int NOT NULL, beds int NOT NULL, occupancy_at_end int NOT NULL, patients_present int NOT NULL,
    bed_hours float NOT NULL, admissions int NOT NULL, discharges int NOT NULL, transfers_in int NOT NULL, transfers_out int NOT NULL
)
WITH (DISTRIBUTION = HASH (hour_key), HEAP);
GO

-- ---------------------------------------------------------------------------------------------------------------
-- Load log: one row per table load, written in the same transaction as the load's changes. The newest row of a
-- table says which Gold Delta table (its metaData id) and version the warehouse table now equals; a load of a
-- version already recorded does nothing (ARCHITECTURE.md guarantee 6). A few rows per load: round-robin heap.
-- ---------------------------------------------------------------------------------------------------------------

IF OBJECT_ID(N'etl.load_log') IS NULL
CREATE TABLE etl.load_log
(
    table_name      nvarchar(128) NOT NULL,
    delta_table_id  nvarchar(64)  NOT NULL,
    delta_version   bigint        NOT NULL,
    loaded_at       datetime2(6)  NOT NULL,
    load_path       nvarchar(16)  NOT NULL,
    rows_staged     bigint        NOT NULL,
    rows_inserted   bigint        NOT NULL,
    rows_updated    bigint        NOT NULL,
    rows_closed     bigint        NOT NULL,
    rows_deleted    bigint        NOT NULL
)
WITH (DISTRIBUTION = ROUND_ROBIN, HEAP);
GO

-- ---------------------------------------------------------------------------------------------------------------
-- Statistics on the join and filter columns. A dedicated pool creates single-column statistics automatically when
-- a query needs them, but does not keep them current: "it's recommended to update statistics ... after each load"
-- (Synapse docs, statistics). The loader runs UPDATE STATISTICS on every table a load changed.
-- ---------------------------------------------------------------------------------------------------------------

IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_dim_patient_dk' AND object_id = OBJECT_ID(N'dw.dim_patient'))
    CREATE STATISTICS st_dim_patient_dk ON dw.dim_patient (patient_dk);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_dim_patient_current' AND object_id = OBJECT_ID(N'dw.dim_patient'))
    CREATE STATISTICS st_dim_patient_current ON dw.dim_patient (is_current);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_dim_ward_id' AND object_id = OBJECT_ID(N'dw.dim_ward'))
    CREATE STATISTICS st_dim_ward_id ON dw.dim_ward (ward_id);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_fact_encounter_patient' AND object_id = OBJECT_ID(N'dw.fact_encounter'))
    CREATE STATISTICS st_fact_encounter_patient ON dw.fact_encounter (patient_sk);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_fact_encounter_date' AND object_id = OBJECT_ID(N'dw.fact_encounter'))
    CREATE STATISTICS st_fact_encounter_date ON dw.fact_encounter (date_key);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_fact_encounter_department' AND object_id = OBJECT_ID(N'dw.fact_encounter'))
    CREATE STATISTICS st_fact_encounter_department ON dw.fact_encounter (department);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_fact_ward_stay_ward' AND object_id = OBJECT_ID(N'dw.fact_ward_stay'))
    CREATE STATISTICS st_fact_ward_stay_ward ON dw.fact_ward_stay (ward_sk);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_fact_ward_stay_open' AND object_id = OBJECT_ID(N'dw.fact_ward_stay'))
    CREATE STATISTICS st_fact_ward_stay_open ON dw.fact_ward_stay (is_open);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_fact_ward_stay_date' AND object_id = OBJECT_ID(N'dw.fact_ward_stay'))
    CREATE STATISTICS st_fact_ward_stay_date ON dw.fact_ward_stay (date_key);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_census_ward' AND object_id = OBJECT_ID(N'dw.fact_ward_census_hourly'))
    CREATE STATISTICS st_census_ward ON dw.fact_ward_census_hourly (ward_sk);
IF NOT EXISTS (SELECT 1 FROM sys.stats WHERE name = N'st_census_date' AND object_id = OBJECT_ID(N'dw.fact_ward_census_hourly'))
    CREATE STATISTICS st_census_date ON dw.fact_ward_census_hourly (date_key);
GO
