using HealthcareOrleans.Medallion.Lake;

namespace HealthcareOrleans.Medallion.Flush;

/// <summary>How often a registered layer's flusher runs; registered (keyed by layer) by <c>AddLakeLayerFlusher</c>.</summary>
public sealed record LakeLayerSchedule(string Layer, Func<LakeOptions, TimeSpan> Interval);
