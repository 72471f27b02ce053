namespace HealthcareOrleans.Silo.Tests;

/// <summary>Tests that start the silo host configure it through environment variables, which the whole process shares: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SiloHostCollection
{
    public const string Name = "silo host";
}
