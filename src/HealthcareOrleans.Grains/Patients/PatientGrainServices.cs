using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.PatientFlow.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// The silo-wide services every patient grain uses, held once: a grain keeps one reference to this instead of one
/// per service, which is 40 bytes of each resident patient (a silo holds hundreds of thousands of them).
/// </summary>
public sealed class PatientGrainServices(
    PatientIntake intake,
    PipelineCounters counters,
    IOptions<PatientGrainOptions> options,
    TimeProvider clock,
    ILogger<PatientGrain> logger,
    PatientSaveScheduler saves,
    GoldChangeTracker? goldChanges = null,
    PatientPseudonyms? pseudonyms = null)
{
    public PatientIntake Intake { get; } = intake;

    public PipelineCounters Counters { get; } = counters;

    public PatientGrainOptions Options { get; } = options.Value;

    public TimeProvider Clock { get; } = clock;

    public ILogger<PatientGrain> Logger { get; } = logger;

    public PatientSaveScheduler Saves { get; } = saves;

    public GoldChangeTracker? GoldChanges { get; } = goldChanges;

    public PatientPseudonyms? Pseudonyms { get; } = pseudonyms;
}
