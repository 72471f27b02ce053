using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Medallion.Rebuild;

/// <summary>What a rebuild produced.</summary>
public sealed record RebuildResult(long BronzeVersion, long BronzeRecords, int Patients, IReadOnlyList<GoldTableWrite> GoldTables);

/// <summary>
/// Silver and Gold recomputed from Bronze into another lake (guarantee 5: they are a function of Bronze). Bronze is
/// copied as it is; Silver comes from the same incremental flusher the engine runs, whose per-patient replicas (the
/// grains' own intake over the Bronze records in Bronze order) then give Gold: one replay decides both. Writing into a separate
/// lake leaves the live one untouched while the engine runs; swap the folders (or containers) to adopt the result.
/// </summary>
/// <param name="patients">The patient rules' settings (<c>Patients:MaxRetainedEvents</c> decides <c>too_late</c>): those of the engine whose lake this is.</param>
public sealed class MedallionRebuild(ILakeStorage source, ILakeStorage target, HospitalLayout layout, TimeProvider clock, PatientGrainOptions? patients = null)
{

    /// <param name="fromVersion">The first Bronze version to recompute from (1, the first data commit, by default); earlier
    /// commits are left out of Silver and Gold, e.g. when they belong to a log that was replaced.</param>
    public async Task<RebuildResult> RunAsync(long fromVersion = 1, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromVersion, 0);
        await foreach (var _ in target.ListAsync(LakeTables.SilverPatientFlowEvents + "/", cancellationToken))
        {
            throw new InvalidOperationException($"The rebuild target {target.Location} already holds Silver tables; rebuild into an empty lake.");
        }

        progress?.Report("copying Bronze");
        await CopyTableAsync(BronzeTable.Path, cancellationToken);
        var bronze = await DeltaTable.OpenAsync(target, BronzeTable.Path, cancellationToken: cancellationToken);
        if (fromVersion > bronze.Version)
        {
            throw new ArgumentException($"Bronze is at version {bronze.Version}; --from-version {fromVersion} lies beyond it.", nameof(fromVersion));
        }

        if (fromVersion > 1)
        {
            // The Silver flusher resumes after the Bronze version its tables record: start both at the one before.
            await MarkSilverProcessedThroughAsync(fromVersion - 1, cancellationToken);
        }

        progress?.Report("recomputing Silver and quarantine");
        var directory = new HospitalDirectory(layout);
        var decoder = FhirPayloadDecoder.Intake(DecodeLimits.Default);
        var cleansing = new SilverCleansing(directory);
        var options = Options.Create(new LakeOptions { Root = target.Location });
        var transformer = new SilverRecordTransformer(decoder, new PatientIntake(decoder, cleansing, Options.Create(patients ?? new PatientGrainOptions())));
        var silver = new SilverLakeFlusher(target, transformer,
            new LakeHousekeeping(options, clock, NullLogger<LakeHousekeeping>.Instance), options, clock, NullLogger<SilverLakeFlusher>.Instance);
        while ((await silver.FlushAsync(cancellationToken)).Any(s => s.Pending > 0))
        {
            progress?.Report("recomputing Silver and quarantine (continuing)");
        }

        progress?.Report("writing Gold");
        var gold = await GoldRebuild.WriteAsync(target, transformer.Patients, layout, clock.GetUtcNow(), cancellationToken: cancellationToken);
        var silverVersion = (await DeltaTable.OpenAsync(target, SilverEventsTable.Path, cancellationToken: cancellationToken)).Version;
        await GoldSilverProgress.WriteAsync(target, silverVersion, cancellationToken);
        return new RebuildResult(bronze.Version, transformer.Records, transformer.Patients.Count, gold);
    }

    private async Task CopyTableAsync(string tablePath, CancellationToken cancellationToken)
    {
        await foreach (var file in source.ListAsync(tablePath + "/", cancellationToken))
        {
            await target.WriteAsync(file.Path, await source.ReadAsync(file.Path, cancellationToken), cancellationToken);
        }
    }

    private async Task MarkSilverProcessedThroughAsync(long bronzeVersion, CancellationToken cancellationToken)
    {
        var marker = new DeltaWriteOptions { ApplicationId = SilverEventsTable.ApplicationId, ApplicationVersion = bronzeVersion };
        var events = await DeltaTable.OpenOrCreateAsync(target, SilverEventsTable.Path, SilverEventsTable.Definition, cancellationToken: cancellationToken);
        // Where Silver begins, so the flusher's patient replicas start there too after a restart.
        var origin = new DeltaWriteOptions { ApplicationId = SilverEventsTable.OriginApplicationId, ApplicationVersion = bronzeVersion + 1 };
        await events.AppendAsync(DeltaBatch.FromRows(SilverEventsTable.Schema, []), origin, cancellationToken);
        await events.AppendAsync(DeltaBatch.FromRows(SilverEventsTable.Schema, []), marker, cancellationToken);
        var quarantine = await DeltaTable.OpenOrCreateAsync(target, QuarantineTable.Path, QuarantineTable.Definition, cancellationToken: cancellationToken);
        await quarantine.AppendAsync(DeltaBatch.FromRows(QuarantineTable.Schema, []), marker, cancellationToken);
    }
}
