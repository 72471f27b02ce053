using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>
/// A patient's Gold rows as a pure function of their projection. The patient grain (streaming) and
/// <c>GoldRebuild</c> (a single-threaded replay of Bronze) both call this, which is what makes Gold a function
/// of Bronze (guarantee 5): same events, same fold, same rows.
/// </summary>
public static class GoldRowBuilder
{
    public static PatientGoldRows For(string patientId, PatientProjection projection)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(projection);
        var durable = GoldKeys.PatientDurable(patientId);
        var versions = Versions(patientId, durable, projection.Attributes.Versions);
        var encounters = Encounters(projection);
        return new PatientGoldRows(
            durable,
            versions,
            Stays(durable, projection, versions, encounters),
            EncounterRows(durable, projection, versions, encounters));
    }

    /// <summary>
    /// The version valid at <paramref name="at"/>. An instant before the first version takes the first version: the
    /// earliest known attributes describe the patient better than an "unknown" member would, and every fact then joins.
    /// </summary>
    public static long PatientSkAt(IReadOnlyList<DimPatientRow> versions, DateTimeOffset at)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].ValidFrom <= at)
            {
                return versions[i].PatientSk;
            }
        }

        return versions[0].PatientSk;
    }

    private static List<DimPatientRow> Versions(string patientId, long durable, IReadOnlyList<PatientAttributeVersion> history)
    {
        if (history.Count == 0)
        {
            // A patient whose feed never stated demographics still needs a member for the facts to point at.
            return [new DimPatientRow(GoldKeys.PatientVersion(patientId, GoldKeys.BeginningOfTime), durable, patientId,
                null, null, null, null, GoldKeys.BeginningOfTime, GoldKeys.OpenEnd, true, 0)];
        }

        return [.. history.Select(v => new DimPatientRow(
            GoldKeys.PatientVersion(patientId, v.ValidFrom), durable, patientId,
            v.Attributes.Gender, v.Attributes.AgeBand, v.Attributes.PostalRegion, v.Attributes.Payer,
            v.ValidFrom, v.ValidTo ?? GoldKeys.OpenEnd, v.IsCurrent, v.Version))];
    }

    /// <summary>
    /// One summary per encounter id. The timeline refuses a named encounter id reused after its discharge or across
    /// another encounter (README, event contract); should two summaries still share an id, the latest wins.
    /// </summary>
    private static Dictionary<string, EncounterSummary> Encounters(PatientProjection projection)
    {
        var byId = new Dictionary<string, EncounterSummary>(StringComparer.Ordinal);
        foreach (var summary in projection.Encounters)
        {
            byId[summary.EncounterId] = summary;
        }

        return byId;
    }

    private static List<WardStayRow> Stays(long durable, PatientProjection projection, List<DimPatientRow> versions, Dictionary<string, EncounterSummary> encounters)
    {
        var journey = projection.Journey;
        var rows = new Dictionary<string, WardStayRow>(StringComparer.Ordinal);
        for (var i = 0; i < journey.Count; i++)
        {
            var stay = journey[i];
            var first = i == 0 || journey[i - 1].EncounterId != stay.EncounterId;
            var next = i + 1 < journey.Count ? journey[i + 1] : null;
            encounters.TryGetValue(stay.EncounterId, out var encounter);
            var id = GoldKeys.StayId(stay.EncounterId, stay.WardId, stay.EnteredAt);
            rows[id] = new WardStayRow(
                id,
                PatientSkAt(versions, stay.EnteredAt),
                durable,
                stay.EncounterId,
                encounter?.HospitalId ?? projection.HospitalId,
                stay.WardId,
                stay.BedId,
                stay.EnteredAt,
                stay.LeftAt,
                stay.LeftAt is { } left ? (left - stay.EnteredAt).TotalHours : null,
                GoldKeys.DateKey(stay.EnteredAt),
                stay.LeftAt is null,
                first ? GoldMovements.Admission : GoldMovements.Transfer,
                ExitKind(stay, next, encounter));
        }

        return [.. rows.Values];
    }

    private static string? ExitKind(WardStay stay, WardStay? next, EncounterSummary? encounter)
    {
        if (stay.LeftAt is null)
        {
            return null;
        }

        if (next is not null && next.EncounterId == stay.EncounterId)
        {
            return GoldMovements.Transfer;
        }

        return encounter?.Ending == EncounterEnding.Discharged ? GoldMovements.Discharge : GoldMovements.Superseded;
    }

    private static List<EncounterRow> EncounterRows(long durable, PatientProjection projection, List<DimPatientRow> versions, Dictionary<string, EncounterSummary> encounters)
    {
        var rows = new List<EncounterRow>(encounters.Count);
        foreach (var e in encounters.Values)
        {
            var stays = projection.Journey.Where(s => s.EncounterId == e.EncounterId).ToList();
            var discharged = e.Ending == EncounterEnding.Discharged ? e.EndedAt : null;
            var start = e.ArrivedAt ?? e.AdmittedAt ?? e.EndedAt ?? projection.LastEventAt ?? GoldKeys.BeginningOfTime;
            rows.Add(new EncounterRow(
                e.EncounterId,
                PatientSkAt(versions, start),
                durable,
                e.HospitalId,
                e.Department,
                e.Acuity,
                e.ArrivedAt,
                e.AdmittedAt,
                discharged,
                e.ArrivedAt is { } arrived && e.AdmittedAt is { } admittedAt ? (admittedAt - arrived).TotalMinutes : null,
                e.AdmittedAt is { } admitted && discharged is { } end ? (end - admitted).TotalHours : null,
                StatusOf(e),
                e.ArrivalWardId,
                stays.Count > 0 ? stays[0].WardId : null,
                stays.Count > 0 ? stays[^1].WardId : null,
                Math.Max(0, stays.Count - 1),
                e.Ending == EncounterEnding.Discharged && e.AdmittedAt is null,
                GoldKeys.DateKey(start)));
        }

        return rows;
    }

    private static string StatusOf(EncounterSummary e) => e.Ending switch
    {
        EncounterEnding.Discharged => GoldMovements.Discharged,
        EncounterEnding.Superseded => GoldMovements.Superseded,
        _ => e.AdmittedAt is null ? GoldMovements.Waiting : GoldMovements.Admitted,
    };
}
