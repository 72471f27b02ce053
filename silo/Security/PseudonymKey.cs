using System.Security.Cryptography;
using System.Text;
using HealthcareOrleans.PatientFlow.Telemetry;

namespace HealthcareOrleans.Silo.Security;

/// <summary>
/// The secret behind <see cref="PatientPseudonyms"/>: <c>Security:PseudonymKey</c> (e.g. from a Kubernetes secret as
/// <c>Security__PseudonymKey</c>; every silo of a cluster needs the same one so pseudonyms agree), else, in the
/// embedded profile only, 32 random bytes generated on first start into <c>$HC_DATA_DIR/pseudonym-key</c> (owner-only).
/// </summary>
public static class PseudonymKey
{
    public const string ConfigurationKey = "Security:PseudonymKey";
    public const string FileName = "pseudonym-key";

    public static PatientPseudonyms Load(string? configuredKey, string dataDirectory, bool mayGenerate)
    {
        if (!string.IsNullOrWhiteSpace(configuredKey))
        {
            return new PatientPseudonyms(Encoding.UTF8.GetBytes(configuredKey.Trim()));
        }

        if (!mayGenerate)
        {
            throw new InvalidOperationException(
                "No pseudonym key is configured. Set Security__PseudonymKey to a long random secret (the same on every silo, e.g. from a Kubernetes secret): telemetry names patients only by its keyed hash.");
        }

        var file = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(file))
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(file, create);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process created it between the check and the create: use theirs.
            }
        }

        return new PatientPseudonyms(Encoding.UTF8.GetBytes(File.ReadAllText(file).Trim()));
    }
}
