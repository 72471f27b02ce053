using HealthcareOrleans.Lake.Log;

namespace HealthcareOrleans.Lake;

/// <summary>The outcome of a write.</summary>
/// <param name="Version">The version committed, or the current version when nothing was committed.</param>
/// <param name="Committed">False when the write was skipped (idempotent replay, or nothing to change).</param>
/// <param name="AddedFiles">Data files added.</param>
/// <param name="RemovedFiles">Data files removed.</param>
/// <param name="Attempts">Commit attempts used (more than 1 when concurrent writers won races first).</param>
/// <param name="Snapshot">The table state right after this write.</param>
public sealed record DeltaCommitResult(long Version, bool Committed, int AddedFiles, int RemovedFiles, int Attempts, DeltaSnapshot Snapshot);
