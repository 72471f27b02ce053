using System.Security.Cryptography;
using System.Text;

namespace HealthcareOrleans.PatientFlow.Telemetry;

/// <summary>
/// Turns a patient id into a stable pseudonym for telemetry: HMAC-SHA256 under a secret key, so the same patient
/// correlates across spans, silos and restarts, while nobody without the key can recompute it from a guessed id
/// (a plain hash of a hospital number would be reversed by enumerating the number range).
/// </summary>
public sealed class PatientPseudonyms
{
    /// <summary>Prefix that marks a value as a pseudonym, never an identifier.</summary>
    public const string Prefix = "p_";

    /// <summary>64 bits: enough that two patients of one hospital practically never share a pseudonym.</summary>
    private const int PseudonymBytes = 8;

    private const int MinimumKeyBytes = 16;

    private readonly byte[] _key;

    public PatientPseudonyms(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The pseudonym key has {key.Length} bytes; it needs at least {MinimumKeyBytes}. Set Security:PseudonymKey to a long random secret.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>The pseudonym of <paramref name="patientId"/>, e.g. <c>p_3f9a0c1d2b4e5f60</c>.</summary>
    public string Of(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(patientId.Length);
        var buffer = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(patientId.AsSpan().Trim(), buffer);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, buffer[..length], mac);
        return Prefix + Convert.ToHexStringLower(mac[..PseudonymBytes]);
    }
}
