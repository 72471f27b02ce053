namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>Each test starts its own broker and two silos; on two cores they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PipelineCollection
{
    public const string Name = "pipeline";
}
