using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>What one write did to one table.</summary>
public sealed record GoldTableWrite(string Table, long Rows, bool Committed, long Version);

/// <summary>
/// Writes Gold: the single committer of the six tables (one instance per flush activation, or one per rebuild).
/// <para>Patient tables (dim_patient, fact_ward_stay, fact_encounter) are replaced per patient: every row of a changed
/// patient (matched by patient_dk) is swapped for the rows of their current projection in one commit per table. That is
/// an upsert on the natural keys that also removes rows a late event or a cancel took back (a cancelled admission's
/// stay, a version a late correction merged away), which a plain MERGE would leave behind.</para>
/// <para>Hospital-wide tables (dim_ward, fact_ward_census_hourly, dim_date) are recomputed in memory and compared with
/// what was last written; only differing rows are upserted (and vanished ones deleted), so an unchanged flush commits
/// nothing. Any failure drops the in-memory state: the next attempt reloads it from the tables.</para>
/// </summary>
public sealed class GoldWriter
{
    private readonly DeltaTable _dimPatient, _dimWard, _dimDate, _stays, _encounters, _census;
    private readonly WardDimension _wards;
    private readonly GoldIndex _index;
    private readonly Dictionary<(long HourKey, string WardId), CensusRow> _lastCensus;
    private readonly HashSet<int> _lastDates;

    private GoldWriter(DeltaTable[] tables, WardDimension wards, GoldIndex index, Dictionary<(long, string), CensusRow> census, HashSet<int> dates)
    {
        (_dimPatient, _dimWard, _dimDate, _stays, _encounters, _census) = (tables[0], tables[1], tables[2], tables[3], tables[4], tables[5]);
        _wards = wards;
        _index = index;
        _lastCensus = census;
        _lastDates = dates;
    }

    public WardDimension Wards => _wards;

    /// <summary>Opens (creating where missing) the six tables and loads what later writes are compared with.</summary>
    public static async Task<GoldWriter> OpenAsync(ILakeStorage storage, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tables = await Task.WhenAll(
            DeltaTable.OpenOrCreateAsync(storage, GoldSchemas.DimPatient.Path, GoldSchemas.DimPatient.Definition, options, cancellationToken),
            DeltaTable.OpenOrCreateAsync(storage, GoldSchemas.DimWard.Path, GoldSchemas.DimWard.Definition, options, cancellationToken),
            DeltaTable.OpenOrCreateAsync(storage, GoldSchemas.DimDate.Path, GoldSchemas.DimDate.Definition, options, cancellationToken),
            DeltaTable.OpenOrCreateAsync(storage, GoldSchemas.FactWardStay.Path, GoldSchemas.FactWardStay.Definition, options, cancellationToken),
            DeltaTable.OpenOrCreateAsync(storage, GoldSchemas.FactEncounter.Path, GoldSchemas.FactEncounter.Definition, options, cancellationToken),
            DeltaTable.OpenOrCreateAsync(storage, GoldSchemas.FactWardCensusHourly.Path, GoldSchemas.FactWardCensusHourly.Definition, options, cancellationToken));
        var wards = new WardDimension(await GoldTableReader.WardsAsync(tables[1], cancellationToken));
        var index = await GoldTableReader.IndexAsync(tables[3], tables[4], cancellationToken);
        var census = await GoldTableReader.CensusAsync(tables[5], cancellationToken);
        var dates = await GoldTableReader.DateKeysAsync(tables[2], cancellationToken);
        return new GoldWriter(tables, wards, index, census, dates);
    }

    /// <summary>
    /// Reconciles dim_ward with <paramref name="layout"/>, replaces the rows of <paramref name="patients"/>, then brings
    /// the census and the calendar up to date. Safe to repeat: the same input leaves every table's rows as they are.
    /// </summary>
    public async Task<IReadOnlyList<GoldTableWrite>> WriteAsync(IReadOnlyCollection<PatientGoldRows> patients, HospitalLayout layout, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        List<GoldTableWrite> writes = [];
        var wardChanges = _wards.Reconcile(layout, now);
        writes.Add(await UpsertAsync(_dimWard, GoldSchemas.DimWard, wardChanges, cancellationToken));

        if (patients.Count > 0)
        {
            var changed = patients.Select(p => p.PatientDk).ToHashSet();
            writes.Add(await ReplacePatientsAsync(_dimPatient, GoldSchemas.DimPatient, changed, [.. patients.SelectMany(p => p.Versions)], cancellationToken));
            writes.Add(await ReplacePatientsAsync(_stays, GoldSchemas.FactWardStay, changed,
                [.. patients.SelectMany(p => p.Stays).Select(s => new FactWardStayRow(s, _wards.KeyAt(s.WardId, s.EnteredAt)))], cancellationToken));
            writes.Add(await ReplacePatientsAsync(_encounters, GoldSchemas.FactEncounter, changed, [.. patients.SelectMany(p => p.Encounters)], cancellationToken));
            foreach (var patient in patients)
            {
                _index.Set(patient.PatientDk, PatientFootprint.Of(patient));
            }
        }
        else
        {
            writes.AddRange([Unchanged(_dimPatient), Unchanged(_stays), Unchanged(_encounters)]);
        }

        writes.Add(await WriteCensusAsync(cancellationToken));
        writes.Add(await WriteDatesAsync(cancellationToken));
        return writes;
    }

    private async Task<GoldTableWrite> WriteCensusAsync(CancellationToken cancellationToken)
    {
        var census = WardCensusBuilder.Build(_index.AllStays(), _wards);
        var current = census.ToDictionary(r => (r.HourKey, r.WardId));
        var changed = census.Where(r => !_lastCensus.TryGetValue((r.HourKey, r.WardId), out var last) || last != r).ToList();
        var vanished = _lastCensus.Keys.Where(k => !current.ContainsKey(k)).ToHashSet();
        var write = await UpsertAsync(_census, GoldSchemas.FactWardCensusHourly, changed, cancellationToken);
        if (vanished.Count > 0)
        {
            var deleted = await _census.DeleteWhereAsync(r => vanished.Contains(((long)r["hour_key"]!, (string)r["ward_id"]!)), cancellationToken: cancellationToken);
            write = write with { Rows = write.Rows + vanished.Count, Committed = write.Committed || deleted.Committed, Version = deleted.Version };
        }

        _lastCensus.Clear();
        foreach (var (key, row) in current)
        {
            _lastCensus[key] = row;
        }

        return write;
    }

    private async Task<GoldTableWrite> WriteDatesAsync(CancellationToken cancellationToken)
    {
        var dates = DateDimensionBuilder.Build(_index.DateSpan());
        var keys = dates.Select(d => d.DateKey).ToHashSet();
        var added = dates.Where(d => !_lastDates.Contains(d.DateKey)).ToList();
        var vanished = _lastDates.Where(k => !keys.Contains(k)).ToHashSet();
        var write = await UpsertAsync(_dimDate, GoldSchemas.DimDate, added, cancellationToken);
        if (vanished.Count > 0)
        {
            var deleted = await _dimDate.DeleteWhereAsync(r => vanished.Contains((int)r["date_key"]!), cancellationToken: cancellationToken);
            write = write with { Rows = write.Rows + vanished.Count, Committed = write.Committed || deleted.Committed, Version = deleted.Version };
        }

        _lastDates.Clear();
        _lastDates.UnionWith(keys);
        return write;
    }

    private static async Task<GoldTableWrite> ReplacePatientsAsync<TRow>(DeltaTable table, GoldTable<TRow> schema, HashSet<long> patients, List<TRow> rows, CancellationToken cancellationToken)
    {
        var result = await table.ReplaceWhereAsync(r => patients.Contains((long)r["patient_dk"]!), schema.ToBatch(rows), cancellationToken: cancellationToken);
        return new GoldTableWrite(schema.Path, rows.Count, result.Committed, result.Version);
    }

    private static async Task<GoldTableWrite> UpsertAsync<TRow>(DeltaTable table, GoldTable<TRow> schema, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return Unchanged(table);
        }

        var result = await table.UpsertAsync(schema.ToBatch(rows), schema.NaturalKey, cancellationToken: cancellationToken);
        return new GoldTableWrite(schema.Path, rows.Count, result.Committed, result.Version);
    }

    private static GoldTableWrite Unchanged(DeltaTable table) => new(table.Log.TablePath, 0, false, table.Version);
}
