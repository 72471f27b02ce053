using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Flush;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.Streaming.Kafka.Options;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Hosting;

public static class LakeSiloBuilderExtensions
{
    private static readonly TimeSpan SettleMargin = TimeSpan.FromSeconds(6);

    /// <summary>
    /// The lake on this silo: storage from <see cref="LakeOptions"/> (an Azure container when
    /// <see cref="LakeOptions.ConnectionString"/> is set, else the folder <see cref="LakeOptions.Root"/>; an
    /// <see cref="ILakeStorage"/> registered before this call wins), the Bronze writer as the record sink of the
    /// patient-flow stream provider (exactly-once Bronze, resume and checkpoints bounded by Bronze), the Silver
    /// flusher, flush scheduling and status. Call after <c>AddPatientFlowGrains</c> and <c>AddKafkaPatientFlowStreams</c>.
    /// The options are validated when the host starts: a wrong lake setting stops the silo before it joins.
    /// </summary>
    public static ISiloBuilder AddPatientFlowLake(this ISiloBuilder silo, Action<LakeOptions>? configure = null, string streamProviderName = PatientFlowStreams.ProviderName)
    {
        var services = silo.Services;
        var lakeOptions = services.AddOptions<LakeOptions>();
        if (configure is not null)
        {
            lakeOptions.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LakeOptions>, LakeOptionsValidator>());
        lakeOptions.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => LakeStorageFactory.Create(sp.GetRequiredService<IOptions<LakeOptions>>().Value));

        services.AddSingleton<BronzeWriter>();
        services.AddKeyedSingleton<IReceivedRecordSink>(streamProviderName, (sp, _) => sp.GetRequiredService<BronzeWriter>());
        services.AddSingleton<BronzeFlushService>();
        services.AddHostedService(sp => sp.GetRequiredService<BronzeFlushService>());

        // Patient grains write their state StateWriteDelay after applying an event, after confirming their ward updates:
        // a checkpoint must not pass events whose state may not be stored yet, or a silo crash would lose them. Twice
        // the delay plus a margin for a loaded machine (a 3-silo test on 2 busy cores lost one event at twice the
        // delay alone); a later checkpoint only costs re-reading, which consumers deduplicate.
        services.AddOptions<KafkaStreamOptions>(streamProviderName).PostConfigure<IOptions<PatientGrainOptions>>((kafka, patients) =>
        {
            var settle = patients.Value.StateWriteDelay * 2 + SettleMargin;
            if (kafka.CheckpointSettleDelay < settle)
            {
                kafka.CheckpointSettleDelay = settle;
            }
        });

        services.AddTransient<SilverRecordTransformer>();
        services.AddTransient<LakeHousekeeping>();
        services.AddLakeLayerFlusher<SilverLakeFlusher>(LakeLayers.Silver, o => o.SilverFlushInterval);
        silo.AddGoldLayer();
        services.AddLakeLayerFlusher<GoldFlusher>(LakeLayers.Gold, o => o.GoldFlushInterval);
        return silo;
    }
}
