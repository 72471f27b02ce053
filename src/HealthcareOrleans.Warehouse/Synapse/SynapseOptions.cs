namespace HealthcareOrleans.Warehouse.Synapse;

/// <summary>How the loader signs in to the dedicated SQL pool.</summary>
public enum SynapseAuthentication
{
    /// <summary>Whatever the connection string says (SQL login, or an Authentication= keyword SqlClient handles).</summary>
    ConnectionString,

    /// <summary>A Microsoft Entra token from Azure.Identity's DefaultAzureCredential (managed identity in AKS, az login on a laptop).</summary>
    EntraDefault,
}

/// <summary>How rows reach the staging tables.</summary>
public enum SynapseLoadPath
{
    /// <summary>COPY INTO from the Gold Parquet files in ADLS: the pool reads the lake itself, in parallel (preferred for volume).</summary>
    CopyInto,

    /// <summary>The loader reads Gold and streams the rows with SqlBulkCopy: for pools that cannot reach the lake.</summary>
    BulkCopy,
}

/// <summary>The identity COPY INTO reads the lake with.</summary>
public enum CopyIntoCredential
{
    /// <summary>The workspace's managed identity (needs Storage Blob Data Reader on the lake account).</summary>
    ManagedIdentity,

    /// <summary>No CREDENTIAL clause: the signed-in Entra user's own access (pass-through).</summary>
    CallerIdentity,
}

/// <summary>The Synapse warehouse (configuration section Warehouse:Synapse).</summary>
public sealed class SynapseOptions
{
    /// <summary>Server and database at least: "Server=tcp:&lt;workspace&gt;.sql.azuresynapse.net,1433;Database=&lt;pool&gt;;Encrypt=True".</summary>
    public string? ConnectionString { get; set; }

    public SynapseAuthentication Authentication { get; set; } = SynapseAuthentication.EntraDefault;

    public SynapseLoadPath LoadPath { get; set; } = SynapseLoadPath.CopyInto;

    /// <summary>For COPY INTO: the lake root as the pool sees it, e.g. https://&lt;account&gt;.dfs.core.windows.net/lake.</summary>
    public string? LakeUrl { get; set; }

    public CopyIntoCredential CopyCredential { get; set; } = CopyIntoCredential.ManagedIdentity;

    /// <summary>Files named in one COPY INTO statement; a version with more files gets several statements into the same staging table.</summary>
    public int CopyFilesPerStatement { get; set; } = 500;

    /// <summary>
    /// Rows per SqlBulkCopy batch. At least 102,400: the smallest batch a columnstore compresses directly instead
    /// of parking it in a delta rowgroup (Synapse docs, "batch size" in columnstore loading guidance).
    /// </summary>
    public int BulkCopyBatchRows { get; set; } = 1_048_576;

    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts after the first on a transient error (SqlClient's transient error numbers).</summary>
    public int MaxRetries { get; set; } = 5;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);
}
