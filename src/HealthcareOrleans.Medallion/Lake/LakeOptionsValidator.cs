using HealthcareOrleans.Contracts.Events;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Medallion.Lake;

/// <summary>Fails silo start-up with what to change, instead of a flush failing later on a timer.</summary>
public sealed class LakeOptionsValidator : IValidateOptions<LakeOptions>
{
    public const string NoLocationMessage = "Lake:Root, Lake:ConnectionString and Lake:ServiceUri are all empty. Set Lake:Root to a folder (e.g. ./data/lake), Lake:ConnectionString to an Azure Storage connection string, or Lake:ServiceUri to the account's Blob endpoint (https://<account>.blob.core.windows.net, signed in with the workload identity).";

    public ValidateOptionsResult Validate(string? name, LakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        var inAzure = !string.IsNullOrWhiteSpace(options.ConnectionString) || options.ServiceUri is not null;
        if (!inAzure && string.IsNullOrWhiteSpace(options.Root))
        {
            errors.Add(NoLocationMessage);
        }

        if (options.ServiceUri is { } service && (!service.IsAbsoluteUri || service.Scheme is not ("https" or "http")))
        {
            errors.Add($"Lake:ServiceUri '{service}' is not an absolute http(s) URI. Set the account's Blob endpoint, e.g. https://<account>.blob.core.windows.net.");
        }

        if (inAzure && string.IsNullOrWhiteSpace(options.Container))
        {
            errors.Add("Lake:Container is empty. Name the blob container (ADLS Gen2 file system) that holds the lake, e.g. 'lake'.");
        }

        Positive(errors, nameof(options.BronzeFlushInterval), options.BronzeFlushInterval);
        Positive(errors, nameof(options.SilverFlushInterval), options.SilverFlushInterval);
        Positive(errors, nameof(options.GoldFlushInterval), options.GoldFlushInterval);
        Positive(errors, nameof(options.CompactionInterval), options.CompactionInterval);
        Positive(errors, nameof(options.VacuumInterval), options.VacuumInterval);
        Positive(errors, nameof(options.FirstRetryDelay), options.FirstRetryDelay);
        if (options.MaxRetryDelay < options.FirstRetryDelay)
        {
            errors.Add($"Lake:MaxRetryDelay ({options.MaxRetryDelay}) is shorter than Lake:FirstRetryDelay ({options.FirstRetryDelay}). Raise it.");
        }

        // Delta's default deletedFileRetentionDuration: a shorter vacuum could delete files a reader or writer still needs.
        if (options.VacuumRetention < TimeSpan.FromDays(7))
        {
            errors.Add($"Lake:VacuumRetention is {options.VacuumRetention}. Use at least 7 days (Delta's deleted-file retention); Silver rebuilds read old Bronze commits.");
        }

        if (options.BronzeFlushRows < 1)
        {
            errors.Add($"Lake:BronzeFlushRows is {options.BronzeFlushRows}. Set at least 1 (50000 is the default).");
        }

        if (options.BronzeMaxPayloadBytes < DecodeLimits.Default.MaxPayloadBytes)
        {
            errors.Add($"Lake:BronzeMaxPayloadBytes is {options.BronzeMaxPayloadBytes}. Set at least {DecodeLimits.Default.MaxPayloadBytes} (the largest message the decoder accepts), so Silver and a rebuild can decode every message a grain could accept.");
        }

        if (options.SilverMaxBronzeCommitsPerFlush < 1)
        {
            errors.Add($"Lake:SilverMaxBronzeCommitsPerFlush is {options.SilverMaxBronzeCommitsPerFlush}. Set at least 1.");
        }

        if (options.SilverMaxExtensionColumns < 0)
        {
            errors.Add($"Lake:SilverMaxExtensionColumns is {options.SilverMaxExtensionColumns}. Set zero (no extension columns) or more.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Lake:{name} is {value}. Set a positive duration.");
        }
    }
}
