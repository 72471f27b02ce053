using System.Security.Cryptography;
using System.Text;

namespace HealthcareOrleans.Silo.Security;

/// <summary>
/// The accepted API keys, kept only as SHA-256 digests: comparing digests of equal length with
/// <see cref="CryptographicOperations.FixedTimeEquals"/> leaks neither the keys nor their lengths through timing.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly byte[][] _digests;

    public ApiKeyRing(IEnumerable<string> keys)
    {
        _digests = [.. keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim())))];
        if (_digests.Length == 0)
        {
            throw new InvalidOperationException("No API key is configured. Set Security__ApiKeys__0 (or HC_API_KEY), e.g. from a Kubernetes secret.");
        }
    }

    public bool Accepts(ReadOnlySpan<char> presented)
    {
        if (presented.IsEmpty)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented.Trim().ToString());
        SHA256.HashData(bytes, digest);
        var accepted = false;
        foreach (var candidate in _digests)
        {
            // No early exit: every key is compared, so the time does not tell which one matched.
            accepted |= CryptographicOperations.FixedTimeEquals(candidate, digest);
        }

        return accepted;
    }

    /// <summary>
    /// The keys for this silo: configured ones, else (embedded profile only) one generated on first start and kept in
    /// <c>$HC_DATA_DIR/api-key</c> with owner-only permissions, so the local user and <c>hc</c> can find it.
    /// </summary>
    public static (ApiKeyRing Ring, string? GeneratedKeyFile) Create(ApiKeyOptions options, string? environmentKey, string dataDirectory, bool mayGenerate)
    {
        var keys = new List<string>(options.ApiKeys);
        if (!string.IsNullOrWhiteSpace(environmentKey))
        {
            keys.Add(environmentKey);
        }

        if (keys.Count > 0 || !mayGenerate)
        {
            return (new ApiKeyRing(keys), null);
        }

        var file = Path.Combine(dataDirectory, "api-key");
        if (!File.Exists(file))
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(file, create))
            {
                stream.Write(Encoding.UTF8.GetBytes(key));
            }
        }

        return (new ApiKeyRing([File.ReadAllText(file)]), file);
    }
}
