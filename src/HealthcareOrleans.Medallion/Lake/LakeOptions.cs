namespace HealthcareOrleans.Medallion.Lake;

/// <summary>Where the lake lives and how often each layer is written. Section <c>Lake</c>.</summary>
public sealed class LakeOptions
{
    public const string Section = "Lake";

    /// <summary>Local folder of the lake (embedded default: <c>$HC_DATA_DIR/lake</c>). Ignored when <see cref="ConnectionString"/> or <see cref="ServiceUri"/> is set.</summary>
    public string? Root { get; set; }

    /// <summary>Azure Storage connection string (ADLS Gen2 through its Blob endpoint, or Azurite).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The storage account's Blob endpoint (<c>https://&lt;account&gt;.blob.core.windows.net</c>; ADLS Gen2 serves it
    /// too), signed in with <c>DefaultAzureCredential</c> (workload identity in AKS): no key in the configuration.
    /// Used when <see cref="ConnectionString"/> is empty.
    /// </summary>
    public Uri? ServiceUri { get; set; }

    public string Container { get; set; } = "lake";

    /// <summary>A Bronze partition buffer is written at least this often…</summary>
    public TimeSpan BronzeFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>…or as soon as it holds this many rows.</summary>
    public int BronzeFlushRows { get; set; } = 50_000;

    /// <summary>
    /// A message larger than this is kept in Bronze as its offset, size and reason, without its bytes: it is refused as
    /// <c>oversize</c> anyway, and a producer that sends megabytes must not fill the lake. At least the decoder's limit
    /// (64 KiB), so that whatever a grain could accept, Bronze can give back to Silver and a rebuild.
    /// </summary>
    public int BronzeMaxPayloadBytes { get; set; } = 1024 * 1024;

    public TimeSpan SilverFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many Bronze commits are turned into one Silver commit pair (bounds one flush's memory).</summary>
    public int SilverMaxBronzeCommitsPerFlush { get; set; } = 200;

    /// <summary>Unknown event fields become Silver columns <c>x_&lt;field&gt;</c> up to this many; further ones stay in Bronze only.</summary>
    public int SilverMaxExtensionColumns { get; set; } = 100;

    public TimeSpan GoldFlushInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Small files of Bronze and Silver are compacted this often.</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Vacuum removes unreferenced files older than this (Delta's default is 7 days).</summary>
    public TimeSpan VacuumRetention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan VacuumInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The first retry after a failed flush waits this long, doubling up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
