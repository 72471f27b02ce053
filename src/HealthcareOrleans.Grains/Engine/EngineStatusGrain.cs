using HealthcareOrleans.Contracts.Engine;

namespace HealthcareOrleans.Grains.Engine;

/// <summary>Keeps each silo's latest report; a silo that stopped reporting drops out after <see cref="StaleAfter"/>.</summary>
public sealed class EngineStatusGrain(TimeProvider clock) : Grain, IEngineStatusGrain
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, SiloPipelineReport> _reports = new(StringComparer.Ordinal);

    public Task ReportAsync(SiloPipelineReport report)
    {
        _reports[report.Silo] = report;
        return Task.CompletedTask;
    }

    public Task<EngineStatus> GetAsync()
    {
        var cutoff = clock.GetUtcNow() - StaleAfter;
        var live = _reports.Values.Where(r => r.ReportedAt >= cutoff).OrderBy(r => r.Silo, StringComparer.Ordinal).ToList();
        return Task.FromResult(new EngineStatus(live));
    }
}
