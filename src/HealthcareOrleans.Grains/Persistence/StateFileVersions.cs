namespace HealthcareOrleans.Grains.Persistence;

/// <summary>Identifies one state file: its folder (root, storage, state name, grain type) and the SHA-256 of the grain key.</summary>
internal readonly record struct StateFileKey(int Folder, UInt128 KeyHash);

/// <summary>
/// What this process last saw on disk for each state file, and the locks that keep that true. Process-wide, not per
/// storage instance: two silos of one in-process cluster over one root share it, which is what lets a stale activation
/// in either be refused without reading the old file's header before every write.
/// </summary>
/// <remarks>
/// Every read, write and clear of a file runs under its stripe's lock and records what it found or left, so an entry
/// is exactly the file's version as long as only this process changes the folder (the embedded profile's single silo).
/// A missing entry costs one header read, so entries can be dropped at any time: a full stripe is simply emptied,
/// which bounds the memory to <see cref="StripeCount"/> × <see cref="MaxEntriesPerStripe"/> small entries however
/// many patients pass through.
/// </remarks>
internal static class StateFileVersions
{
    /// <summary>Recorded for a file known not to exist (never written, or cleared).</summary>
    public const long Absent = long.MinValue;

    private const int StripeCount = 1024;
    private const int MaxEntriesPerStripe = 256;

    private static readonly Stripe[] Stripes = CreateStripes();

    /// <summary>The lock and book for one file; hold the lock (the stripe itself) across the file operation and the record.</summary>
    public static Stripe For(in StateFileKey key) => Stripes[(int)((ulong)key.KeyHash & (StripeCount - 1))];

    private static Stripe[] CreateStripes()
    {
        var stripes = new Stripe[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Stripe();
        }

        return stripes;
    }

    internal sealed class Stripe
    {
        private readonly Dictionary<StateFileKey, long> _versions = [];

        public bool TryGet(in StateFileKey key, out long version) => _versions.TryGetValue(key, out version);

        public void Record(in StateFileKey key, long version)
        {
            if (_versions.Count >= MaxEntriesPerStripe && !_versions.ContainsKey(key))
            {
                _versions.Clear();
            }

            _versions[key] = version;
        }

        public void Forget(in StateFileKey key) => _versions.Remove(key);
    }
}
