using System.Globalization;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation;

namespace HealthcareOrleans.Silo.Configuration;

/// <summary>Reads the in-process simulator's options from the <c>Simulator</c> section.</summary>
public static class SimulatorSettings
{
    /// <summary>
    /// By default the embedded simulator starts two weeks back and runs 3600× real time (a simulated hour a second):
    /// wards fill up and move visibly within seconds, and after about six minutes the simulated clock meets the wall
    /// clock and runs on in real time (events are never stamped in the future).
    /// </summary>
    public static SimulationOptions From(IConfiguration section, HospitalLayout layout)
    {
        var startText = section["Start"];
        DateTimeOffset? start = string.IsNullOrWhiteSpace(startText)
            ? DateTimeOffset.UtcNow - TimeSpan.FromHours(section.GetValue("HistoryHours", 14 * 24.0))
            : DateTimeOffset.Parse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var options = new SimulationOptions
        {
            Layout = layout,
            Seed = section.GetValue("Seed", 1),
            Start = start,
            Speed = section.GetValue("Speed", 3600.0),
            Rate = section.GetValue("Rate", 0.0),
            Count = section.GetValue("Count", 0L),
        };
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("Simulator settings are not usable: " + string.Join(" ", problems));
        }

        return options;
    }
}
