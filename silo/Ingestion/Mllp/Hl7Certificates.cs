using System.Security.Cryptography.X509Certificates;

namespace HealthcareOrleans.Silo.Ingestion.Mllp;

/// <summary>The listener's TLS certificate from <see cref="Hl7Options.CertificatePath"/>: PKCS#12, or PEM with its key file.</summary>
internal static class Hl7Certificates
{
    public static X509Certificate2? Load(Hl7Options options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return null;
        }

        var path = options.CertificatePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Hl7:CertificatePath '{path}' does not exist.");
        }

        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }

        if (string.IsNullOrWhiteSpace(options.CertificateKeyPath))
        {
            throw new InvalidOperationException("Hl7:CertificateKeyPath is required with a PEM certificate (or use a .pfx file).");
        }

        // SslStream on Linux needs the key in a persisted form; a PKCS#12 round trip gives it one.
        using var pem = X509Certificate2.CreateFromPemFile(path, options.CertificateKeyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
