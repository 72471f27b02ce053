using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;

namespace HealthcareOrleans.Persistence.GrainStateLog;

public static class GrainStateLogSiloBuilderExtensions
{
    /// <summary>
    /// A grain storage named <paramref name="name"/>: an append-only log under <see cref="GrainStateLogOptions.RootDirectory"/>,
    /// written in groups (see <see cref="GrainStateLog"/>).
    /// </summary>
    public static ISiloBuilder AddGrainStateLogStorage(this ISiloBuilder silo, string name, Action<GrainStateLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new GrainStateLogOptions();
        configure(options);
        silo.Services.AddGrainStorage(name, (sp, storageName) => new GrainStateLogStorage(
            storageName, options, sp.GetRequiredService<Serializer>(), sp.GetRequiredService<ILogger<GrainStateLogStorage>>()));
        return silo;
    }

    /// <summary>
    /// Grain state on local disk (the embedded and single-silo profiles): an append-only log per storage under
    /// <paramref name="rootDirectory"/>.
    /// </summary>
    public static ISiloBuilder AddLocalGrainStateLog(this ISiloBuilder silo, string name, string rootDirectory, bool flushToDisk = true)
    {
        if (string.IsNullOrWhiteSpace(rootDirectory))
        {
            throw new ArgumentException("The grain state folder is empty. Set HC_DATA_DIR or Storage:Directory.", nameof(rootDirectory));
        }

        return silo.AddGrainStateLogStorage(name, options =>
        {
            options.RootDirectory = Path.GetFullPath(rootDirectory);
            options.FlushToDisk = flushToDisk;
        });
    }
}
