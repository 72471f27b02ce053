using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Fhir;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.PatientFlow.Hospital;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;

namespace HealthcareOrleans.Grains.Hosting;

public static class PatientFlowSiloBuilderExtensions
{
    /// <summary>
    /// The patient and ward grains with what they need: the layout, the decoder, Silver cleansing and the counters.
    /// <see cref="PatientGrainOptions"/> come from <paramref name="configure"/> and whatever else configures them (a host binds
    /// its <c>Patients</c> section); they are validated when the host starts.
    /// </summary>
    public static ISiloBuilder AddPatientFlowGrains(this ISiloBuilder silo, HospitalLayout layout, DecodeLimits? limits = null, Action<PatientGrainOptions>? configure = null)
    {
        var services = silo.Services;
        services.AddSingleton(new HospitalDirectory(layout));
        services.AddSingleton(FhirPayloadDecoder.Intake(limits ?? DecodeLimits.Default));
        services.AddSingleton<SilverCleansing>();
        services.AddSingleton<PatientIntake>();
        services.AddSingleton<PatientGrainServices>();
        services.AddSingleton<PatientSaveScheduler>();
        services.AddMetrics();
        services.TryAddSingleton<PipelineCounters>();
        services.TryAddSingleton(TimeProvider.System);
        var patientOptions = services.AddOptions<PatientGrainOptions>();
        if (configure is not null)
        {
            patientOptions.Configure(configure);
        }

        patientOptions.Validate(
            o => o.StateWriteDelay > TimeSpan.Zero && o.MaxRetainedEvents >= 8 && o.MaxRememberedEventIds >= 0,
            "Patients:StateWriteDelay must be positive and Patients:MaxRetainedEvents at least 8.").ValidateOnStart();
        services.AddHostedService<EngineStatusReporter>();
        services.AddKeyedSingleton<IRecordRedelivery, PatientRecordRedelivery>(PatientFlowStreams.ProviderName);
        return silo;
    }
}
