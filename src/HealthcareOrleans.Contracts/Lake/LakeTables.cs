namespace HealthcareOrleans.Contracts.Lake;

/// <summary>The medallion tables, as paths under the lake root.</summary>
public static class LakeTables
{
    public const string BronzePatientFlowRaw = "bronze/patient_flow_raw";
    public const string SilverPatientFlowEvents = "silver/patient_flow_events";
    public const string SilverQuarantine = "silver/quarantine";
    public const string GoldDimPatient = "gold/dim_patient";
    public const string GoldDimWard = "gold/dim_ward";
    public const string GoldDimDate = "gold/dim_date";
    public const string GoldFactWardStay = "gold/fact_ward_stay";
    public const string GoldFactEncounter = "gold/fact_encounter";
    public const string GoldFactWardCensusHourly = "gold/fact_ward_census_hourly";
}

/// <summary>The layers a flush writes; <c>hc flush run &lt;layer&gt;</c> takes these names.</summary>
public static class LakeLayers
{
    public const string Bronze = "bronze";
    public const string Silver = "silver";
    public const string Gold = "gold";

    public static IReadOnlyList<string> All { get; } = [Bronze, Silver, Gold];
}
