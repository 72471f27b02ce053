using System.Globalization;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Simulation;

/// <summary>The in-process simulator (configuration section <c>Simulator</c>; <c>Simulator:Enabled</c> is read with the profile).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    public int Seed { get; set; } = 1;

    /// <summary>The simulated clock's start (UTC unless it says otherwise); empty means <see cref="HistoryHours"/> before now.</summary>
    public string? Start { get; set; }

    public double HistoryHours { get; set; } = 14 * 24.0;

    public double Speed { get; set; } = 3600.0;

    public double Rate { get; set; }

    public long Count { get; set; }

    /// <summary>
    /// By default the embedded simulator starts two weeks back and runs 3600× real time (a simulated hour a second):
    /// wards fill up and move visibly within seconds, and after about six minutes the simulated clock meets the wall
    /// clock and runs on in real time (events are never stamped in the future).
    /// </summary>
    public SimulationOptions ToSimulation(HospitalLayout layout) => new()
    {
        Layout = layout,
        Seed = Seed,
        Start = string.IsNullOrWhiteSpace(Start)
            ? DateTimeOffset.UtcNow - TimeSpan.FromHours(HistoryHours)
            : DateTimeOffset.Parse(Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        Speed = Speed,
        Rate = Rate,
        Count = Count,
    };
}

/// <summary>The simulator's own rules (<see cref="SimulationOptions.Validate"/>), checked when the host starts.</summary>
public sealed class SimulatorOptionsValidator(HospitalLayout layout) : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Start) && !DateTimeOffset.TryParse(options.Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return ValidateOptionsResult.Fail($"Simulator settings are not usable: Simulator:Start '{options.Start}' is not a date and time.");
        }

        return options.ToSimulation(layout).Validate() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail("Simulator settings are not usable: " + string.Join(" ", problems))
            : ValidateOptionsResult.Success;
    }
}
