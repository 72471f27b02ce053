using HealthcareOrleans.Lake.Storage;

namespace HealthcareOrleans.Lake.Log;

/// <summary>What a listing of <c>_delta_log</c> found: commit files and (possibly multi-part) checkpoints by version.</summary>
internal sealed class LogListing
{
    public Dictionary<long, LakeFileInfo> Commits { get; } = [];

    public Dictionary<long, CheckpointParts> Checkpoints { get; } = [];

    public long LatestCommit => Commits.Count == 0 ? -1 : Commits.Keys.Max();
}

/// <summary>The files of one checkpoint; usable only when all of its parts are present.</summary>
internal sealed class CheckpointParts(int expected)
{
    public int Expected { get; } = expected;

    public List<LakeFileInfo> Files { get; } = [];

    public bool IsComplete => Files.Count == Expected;
}
