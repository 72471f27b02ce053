using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>
/// Keys of the star schema. Surrogate keys are hashes of natural keys rather than sequence numbers, so a rebuild from
/// Bronze, a second silo or a restarted flush computes the same key for the same row without coordinating a sequence.
/// </summary>
public static class GoldKeys
{
    /// <summary>
    /// valid_to of current SCD2 rows. A far-future date rather than null: "valid_from &lt;= t AND t &lt; valid_to" then needs
    /// no IS NULL branch, stays sargable on Synapse columnstore, and DAX range filters do not drop current rows. Power BI
    /// models should turn "auto date/time" off (it would build a calendar up to 9999); is_current marks current rows.
    /// </summary>
    public static readonly DateTimeOffset OpenEnd = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>valid_from of the first version of a ward definition: the layout is assumed to hold for all earlier data.</summary>
    public static readonly DateTimeOffset BeginningOfTime = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The patient's durable key (Kimball's durable supervisory key): one per patient, across SCD2 versions.</summary>
    public static long PatientDurable(string patientId) => Hash("patient", patientId, null);

    /// <summary>
    /// One SCD2 version of a patient, keyed by the instant it took effect. Not by version number: a late demographic
    /// change inserts a version and renumbers the later ones, while their valid_from (and so their key) stays put.
    /// </summary>
    public static long PatientVersion(string patientId, DateTimeOffset validFrom) => Hash("patient", patientId, validFrom);

    public static long WardVersion(string wardId, DateTimeOffset validFrom) => Hash("ward", wardId, validFrom);

    /// <summary>The natural key of a ward stay: the encounter, the ward and the instant the patient entered it.</summary>
    public static string StayId(string encounterId, string wardId, DateTimeOffset enteredAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{encounterId}|{wardId}|{enteredAt.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}");

    /// <summary>yyyymmdd of the UTC date: the key of dim_date.</summary>
    public static int DateKey(DateTimeOffset at) => DateKey(DateOnly.FromDateTime(at.UtcDateTime));

    public static int DateKey(DateOnly date) => (date.Year * 10_000) + (date.Month * 100) + date.Day;

    /// <summary>yyyymmddhh of the UTC hour: the census row key (a number, so file statistics can prune upserts by range).</summary>
    public static long HourKey(DateTimeOffset hourStart)
    {
        var t = hourStart.UtcDateTime;
        return (DateKey(DateOnly.FromDateTime(t)) * 100L) + t.Hour;
    }

    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var t = at.UtcDateTime;
        return new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>
    /// The first 63 bits of SHA-256 over "kind, key, UTC ticks". Non-negative so BI tools and SQL show it plainly;
    /// with 2^63 values the odds of any collision are about 1 in 18 million for 10^6 rows of one table, 1 in 2,000 for 10^8.
    /// </summary>
    private static long Hash(string kind, string key, DateTimeOffset? at)
    {
        var text = at is { } instant
            ? string.Create(CultureInfo.InvariantCulture, $"{kind}\u001f{key}\u001f{instant.UtcTicks}")
            : string.Create(CultureInfo.InvariantCulture, $"{kind}\u001f{key}");
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return BinaryPrimitives.ReadInt64BigEndian(digest) & long.MaxValue;
    }
}
