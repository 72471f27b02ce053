namespace HealthcareOrleans.Silo.Security;

/// <summary>Who may read patient data over HTTP. Section <c>Security</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Security";

    /// <summary>Accepted keys (e.g. from a Kubernetes secret as <c>Security__ApiKeys__0</c>, or <c>HC_API_KEY</c>).</summary>
    public List<string> ApiKeys { get; } = [];

    /// <summary>Ask for a key on <c>/healthz</c> too (probes usually cannot send one).</summary>
    public bool ProtectHealth { get; set; }

    /// <summary>Ask for a key on <c>/metrics</c> too (scrapers can send a bearer token).</summary>
    public bool ProtectMetrics { get; set; }
}
