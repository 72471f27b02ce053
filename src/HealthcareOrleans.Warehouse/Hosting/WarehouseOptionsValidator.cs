using HealthcareOrleans.Warehouse.Synapse;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Warehouse.Hosting;

/// <summary>Checks the Warehouse section at start-up; Synapse settings only matter when Kind is Synapse.</summary>
public sealed class WarehouseOptionsValidator : IValidateOptions<WarehouseOptions>
{
    public ValidateOptionsResult Validate(string? name, WarehouseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        if (!Enum.IsDefined(options.Kind))
        {
            errors.Add("Warehouse:Kind must be DuckDb, Synapse or None.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(100) || options.PollInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Warehouse:PollInterval is {options.PollInterval}; use between 00:00:00.1 and 01:00:00 (default 00:00:05).");
        }

        if (options.Kind == WarehouseKind.DuckDb && options.DuckDbPath is { } path && (path.Trim().Length == 0 || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            errors.Add("Warehouse:DuckDbPath is not a usable file path; leave it empty for $HC_DATA_DIR/warehouse.duckdb.");
        }

        if (options.Kind == WarehouseKind.Synapse && new SynapseOptionsValidator().Validate(name, options.Synapse) is { Failed: true } synapse)
        {
            errors.AddRange(synapse.Failures);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
