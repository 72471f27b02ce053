namespace HealthcareOrleans.Medallion.Bronze;

/// <summary>What one Bronze flush on this silo wrote.</summary>
public sealed record BronzeFlushResult(long Rows, int Commits, long TableVersion);
