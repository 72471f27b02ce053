using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using Microsoft.Extensions.DependencyInjection;

namespace HealthcareOrleans.Streaming.Kafka.Hosting;

/// <summary>Chooses the parts of one Kafka stream provider that the application supplies.</summary>
public sealed class KafkaStreamsConfigurator(string name, IServiceCollection services)
{
    public string Name => name;

    /// <summary>Maps consumed messages to streams and batches; the factory is called once, with the provider's name.</summary>
    public KafkaStreamsConfigurator UseDataAdapter(Func<IServiceProvider, string, IKafkaDataAdapter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        services.AddKeyedSingleton(name, (sp, _) => factory(sp, name));
        return this;
    }
}
