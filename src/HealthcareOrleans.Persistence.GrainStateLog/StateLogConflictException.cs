namespace HealthcareOrleans.Persistence.GrainStateLog;

/// <summary>A write or clear named a version the grain's state no longer has: another activation saved it since.</summary>
internal sealed class StateLogConflictException(long storedVersion, long expectedVersion)
    : Exception($"The stored state is at version {storedVersion}, not {expectedVersion}.")
{
    public long StoredVersion { get; } = storedVersion;

    public long ExpectedVersion { get; } = expectedVersion;
}
