namespace HealthcareOrleans.Lake.Storage;

/// <summary>A file (or blob) in lake storage. <see cref="Path"/> is relative to the storage root, '/'-separated.</summary>
public sealed record LakeFileInfo(string Path, long Size, DateTimeOffset LastModified);
