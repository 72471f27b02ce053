using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.PatientFlow.Gold;
using HealthcareOrleans.PatientFlow.Patients;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>
/// Gold from scratch: given the patient states of a single-threaded replay of Bronze (through <see cref="PatientIntake"/>),
/// empties the five derived tables and writes them again with the same row builders and the same writer the streaming
/// flush uses, so both paths arrive at the same rows (guarantee 5). dim_ward keeps its history: layout versions are not
/// in Bronze, the table is their only record.
/// </summary>
public static class GoldRebuild
{
    public static async Task<IReadOnlyList<GoldTableWrite>> WriteAsync(
        ILakeStorage storage,
        IEnumerable<KeyValuePair<string, PatientState>> patients,
        HospitalLayout layout,
        DateTimeOffset now,
        DeltaTableOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patients);
        await EmptyAsync(storage, GoldSchemas.DimPatient, options, cancellationToken);
        await EmptyAsync(storage, GoldSchemas.DimDate, options, cancellationToken);
        await EmptyAsync(storage, GoldSchemas.FactWardStay, options, cancellationToken);
        await EmptyAsync(storage, GoldSchemas.FactEncounter, options, cancellationToken);
        await EmptyAsync(storage, GoldSchemas.FactWardCensusHourly, options, cancellationToken);

        var rows = patients
            .Where(p => p.Value.EventsApplied > 0)
            .Select(p => GoldRowBuilder.For(p.Key, p.Value.Timeline.Project(p.Key)))
            .ToList();
        var writer = await GoldWriter.OpenAsync(storage, options, cancellationToken);
        return await writer.WriteAsync(rows, layout, now, cancellationToken);
    }

    private static async Task EmptyAsync<TRow>(ILakeStorage storage, GoldTable<TRow> schema, DeltaTableOptions? options, CancellationToken cancellationToken)
    {
        var table = await DeltaTable.OpenOrCreateAsync(storage, schema.Path, schema.Definition, options, cancellationToken);
        if (table.Snapshot.ActiveFiles.Count > 0)
        {
            await table.OverwriteAsync(schema.ToBatch([]), cancellationToken: cancellationToken);
        }
    }
}
