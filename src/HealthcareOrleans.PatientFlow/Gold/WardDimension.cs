using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>
/// The SCD Type 2 history of ward definitions. The layout is configuration, not an event in Bronze, so this history is
/// its own record: it lives in <c>dim_ward</c>, is reconciled with the layout the engine runs with, and survives a
/// rebuild of the other tables. A definition's first version is valid from <see cref="GoldKeys.BeginningOfTime"/> (the
/// layout is assumed to have held for all earlier data); later versions from the moment the engine first saw them.
/// </summary>
public sealed class WardDimension
{
    /// <summary>ward_sk of a stay in a ward no layout ever defined (Silver rejects those, so only hand-made data gets here).</summary>
    public const long UnknownWard = -1;

    private readonly Dictionary<string, List<DimWardRow>> _byWard = new(StringComparer.Ordinal);

    public WardDimension(IEnumerable<DimWardRow> rows)
    {
        foreach (var row in rows.OrderBy(r => r.WardId, StringComparer.Ordinal).ThenBy(r => r.ValidFrom))
        {
            VersionsOf(row.WardId).Add(row);
        }
    }

    public IEnumerable<DimWardRow> Rows => _byWard.Values.SelectMany(v => v);

    /// <summary>Wards with a current version, in ward id order.</summary>
    public IEnumerable<DimWardRow> Current => _byWard.Values.Select(v => v[^1]).Where(r => r.IsCurrent).OrderBy(r => r.WardId, StringComparer.Ordinal);

    /// <summary>
    /// Brings the history in line with <paramref name="layout"/> as seen at <paramref name="now"/> and returns the rows
    /// that changed or were added (none when the layout is unchanged, so a flush then writes nothing).
    /// </summary>
    public IReadOnlyList<DimWardRow> Reconcile(HospitalLayout layout, DateTimeOffset now)
    {
        List<DimWardRow> changed = [];
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hospital in layout.Hospitals)
        {
            foreach (var ward in hospital.Wards)
            {
                defined.Add(ward.WardId);
                Reconcile(hospital.HospitalId, ward, now, changed);
            }
        }

        // A ward dropped from the layout closes; its rows stay for the facts that point at them.
        foreach (var (wardId, versions) in _byWard)
        {
            if (!defined.Contains(wardId) && versions[^1].IsCurrent)
            {
                versions[^1] = versions[^1] with { ValidTo = now, IsCurrent = false };
                changed.Add(versions[^1]);
            }
        }

        return changed;
    }

    /// <summary>The ward version valid at <paramref name="at"/>; before the first version, the first; after a close, the last.</summary>
    public DimWardRow? VersionAt(string wardId, DateTimeOffset at)
    {
        if (!_byWard.TryGetValue(wardId, out var versions))
        {
            return null;
        }

        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].ValidFrom <= at)
            {
                return versions[i];
            }
        }

        return versions[0];
    }

    public long KeyAt(string wardId, DateTimeOffset at) => VersionAt(wardId, at)?.WardSk ?? UnknownWard;

    private void Reconcile(string hospitalId, WardDefinition ward, DateTimeOffset now, List<DimWardRow> changed)
    {
        var versions = VersionsOf(ward.WardId);
        var current = versions.Count > 0 && versions[^1].IsCurrent ? versions[^1] : null;
        if (current is not null && current.HospitalId == hospitalId && current.Department == ward.Department && current.Beds == ward.Beds)
        {
            if (current.Name != ward.Name)
            {
                // Type 1: a renamed ward is the same ward; every version shows the new name.
                for (var i = 0; i < versions.Count; i++)
                {
                    versions[i] = versions[i] with { Name = ward.Name };
                    changed.Add(versions[i]);
                }
            }

            return;
        }

        if (current is not null)
        {
            versions[^1] = current with { ValidTo = now, IsCurrent = false };
            changed.Add(versions[^1]);
        }

        var validFrom = versions.Count == 0 ? GoldKeys.BeginningOfTime : now;
        var opened = new DimWardRow(GoldKeys.WardVersion(ward.WardId, validFrom), ward.WardId, hospitalId, ward.Name,
            ward.Department, ward.Beds, validFrom, GoldKeys.OpenEnd, true, versions.Count + 1);
        versions.Add(opened);
        changed.Add(opened);
    }

    private List<DimWardRow> VersionsOf(string wardId)
    {
        if (!_byWard.TryGetValue(wardId, out var versions))
        {
            versions = [];
            _byWard[wardId] = versions;
        }

        return versions;
    }
}
