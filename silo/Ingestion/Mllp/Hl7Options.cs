namespace HealthcareOrleans.Silo.Ingestion.Mllp;

/// <summary>The HL7 v2 MLLP listener (configuration section <c>Hl7</c>).</summary>
public sealed class Hl7Options
{
    public const string Section = "Hl7";

    /// <summary>The embedded profile's port when none is configured: the port IANA registers for HL7 over MLLP.</summary>
    public const int EmbeddedDefaultPort = 2575;

    /// <summary>TCP port of the listener; unset means off, except in the embedded profile (2575, or a free port when taken).</summary>
    public int? MllpPort { get; set; }

    /// <summary>Address to bind: loopback by default; 0.0.0.0 (or a NIC's address) to take feeds from other hosts.</summary>
    public string MllpAddress { get; set; } = "127.0.0.1";

    /// <summary>A PKCS#12 (.pfx/.p12) or PEM certificate: when set, connections must speak TLS.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The private key of a PEM certificate (a .pfx carries its own).</summary>
    public string? CertificateKeyPath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Largest frame taken; a larger one is answered AE and not kept. Kafka's default message limit is about 1 MB.</summary>
    public int MaxFrameBytes { get; set; } = 512 * 1024;

    /// <summary>Open connections at once; more are closed at once (an interface engine uses a handful).</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Set by the host, not by users: bind a free port when the embedded default is taken.</summary>
    internal bool FallBackToFreePort { get; set; }
}
