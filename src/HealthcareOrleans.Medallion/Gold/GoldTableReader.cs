using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>Reads back what a Gold writer needs to resume: the ward history, the patients' footprints, the census and the calendar.</summary>
public static class GoldTableReader
{
    public static async Task<List<DimWardRow>> WardsAsync(DeltaTable table, CancellationToken cancellationToken)
    {
        var batch = await table.ReadAsync(cancellationToken: cancellationToken);
        return [.. batch.Rows.Select(r => new DimWardRow(
            (long)r["ward_sk"]!, (string)r["ward_id"]!, (string)r["hospital_id"]!, (string)r["name"]!, (string)r["department"]!,
            (int)r["beds"]!, (DateTimeOffset)r["valid_from"]!, (DateTimeOffset)r["valid_to"]!, (bool)r["is_current"]!, (int)r["version"]!))];
    }

    /// <summary>Footprints from fact_ward_stay and fact_encounter, reading only the columns they need.</summary>
    public static async Task<GoldIndex> IndexAsync(DeltaTable stays, DeltaTable encounters, CancellationToken cancellationToken)
    {
        var stayBatch = await stays.ReadAsync(columns: ["patient_dk", "ward_id", "entered_at", "left_at", "entry_kind", "exit_kind"], cancellationToken: cancellationToken);
        var encounterBatch = await encounters.ReadAsync(columns: ["patient_dk", "arrived_at", "admitted_at", "discharged_at"], cancellationToken: cancellationToken);
        var stayRows = new Dictionary<long, List<StayFootprint>>();
        var instants = new Dictionary<long, List<DateTimeOffset?>>();
        foreach (var r in stayBatch.Rows)
        {
            var dk = (long)r["patient_dk"]!;
            var stay = new StayFootprint((string)r["ward_id"]!, (DateTimeOffset)r["entered_at"]!, (DateTimeOffset?)r["left_at"], (string)r["entry_kind"]!, (string?)r["exit_kind"]);
            ListOf(stayRows, dk).Add(stay);
            ListOf(instants, dk).AddRange([stay.EnteredAt, stay.LeftAt]);
        }

        foreach (var r in encounterBatch.Rows)
        {
            ListOf(instants, (long)r["patient_dk"]!).AddRange([(DateTimeOffset?)r["arrived_at"], (DateTimeOffset?)r["admitted_at"], (DateTimeOffset?)r["discharged_at"]]);
        }

        var index = new GoldIndex();
        foreach (var (dk, times) in instants)
        {
            index.Set(dk, PatientFootprint.Spanning(stayRows.TryGetValue(dk, out var s) ? s : [], times));
        }

        return index;
    }

    public static async Task<Dictionary<(long HourKey, string WardId), CensusRow>> CensusAsync(DeltaTable table, CancellationToken cancellationToken)
    {
        var batch = await table.ReadAsync(cancellationToken: cancellationToken);
        return batch.Rows.Select(r => new CensusRow(
            (long)r["hour_key"]!, (string)r["ward_id"]!, (long)r["ward_sk"]!, (DateTimeOffset)r["hour_start"]!, (int)r["date_key"]!, (int)r["hour"]!,
            (int)r["beds"]!, (int)r["occupancy_at_end"]!, (int)r["patients_present"]!, (double)r["bed_hours"]!,
            (int)r["admissions"]!, (int)r["discharges"]!, (int)r["transfers_in"]!, (int)r["transfers_out"]!))
            .ToDictionary(r => (r.HourKey, r.WardId));
    }

    public static async Task<HashSet<int>> DateKeysAsync(DeltaTable table, CancellationToken cancellationToken)
    {
        var batch = await table.ReadAsync(columns: ["date_key"], cancellationToken: cancellationToken);
        return [.. batch.Rows.Select(r => (int)r["date_key"]!)];
    }

    private static List<T> ListOf<T>(Dictionary<long, List<T>> lists, long key)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            list = [];
            lists[key] = list;
        }

        return list;
    }
}
