using HealthcareOrleans.Contracts.Patients;

namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// SCD Type 2 history of the tracked attributes in event time. Stated attributes merge onto the current ones (a feed
/// that sends only the payer changes only the payer); a change closes the current version at the event time and
/// opens a new one. Built by folding events in event-time order, so a late event splits the version it falls into.
/// </summary>
[GenerateSerializer, Alias("hc.attribute-history")]
public sealed class AttributeHistory
{
    [Id(0)] public List<PatientAttributeVersion> Versions { get; private set; } = [];

    public PatientAttributes? Current => Versions.Count == 0 ? null : Versions[^1].Attributes;

    public AttributeHistory Clone() => new() { Versions = [.. Versions] };

    public void Apply(PatientAttributes stated, DateTimeOffset at)
    {
        var current = Current;
        var merged = current is null
            ? stated
            : new PatientAttributes(
                stated.Gender ?? current.Gender,
                stated.AgeBand ?? current.AgeBand,
                stated.PostalRegion ?? current.PostalRegion,
                stated.Payer ?? current.Payer);
        if (merged == current)
        {
            return;
        }

        if (Versions.Count > 0)
        {
            var open = Versions[^1];
            if (open.ValidFrom == at)
            {
                // Two statements at the same instant make one version, not a zero-length one; if the second takes
                // back the first, the previous version simply stays current.
                if (Versions.Count > 1 && Versions[^2].Attributes == merged)
                {
                    Versions.RemoveAt(Versions.Count - 1);
                    Versions[^1] = Versions[^1] with { ValidTo = null };
                }
                else
                {
                    Versions[^1] = open with { Attributes = merged };
                }

                return;
            }

            Versions[^1] = open with { ValidTo = at };
        }

        Versions.Add(new PatientAttributeVersion(Versions.Count + 1, merged, at, null));
    }
}
