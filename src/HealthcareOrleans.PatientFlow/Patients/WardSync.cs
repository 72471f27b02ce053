using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Silver;
using HealthcareOrleans.PatientFlow.Wards;

namespace HealthcareOrleans.PatientFlow.Patients;

/// <summary>The ward updates that bring the wards from what they were told to what the projection now says.</summary>
public sealed record WardSyncPlan(
    IReadOnlyList<(string WardId, WardUpdate Update)> Updates,
    List<ProjectedFact> SentFacts,
    PlacementSnapshot? Placement);

/// <summary>
/// Computes differences, not absolute states, so that a late or cancelled event moves exactly the counts it
/// changes: a fact that disappeared from the projection is sent retracted, a new one is sent once.
/// </summary>
public static class WardSync
{
    public static WardSyncPlan? Plan(string patientId, PatientProjection projection, IReadOnlyList<ProjectedFact> sent, PlacementSnapshot? sentPlacement)
    {
        // Facts older than the wards' live window are forgotten by the wards; syncing them would only cost.
        var windowStart = projection.LastEventAt is { } last ? last - WardLedger.Window - TimeSpan.FromHours(1) : DateTimeOffset.MinValue;
        var wanted = new HashSet<ProjectedFact>();
        foreach (var fact in projection.Facts)
        {
            if (fact.OccurredAt >= windowStart)
            {
                wanted.Add(fact);
            }
        }

        var sentSet = new HashSet<ProjectedFact>(sent.Where(f => f.OccurredAt >= windowStart));
        var placement = projection.Placement is { } p
            ? new PlacementSnapshot(p.WardId, p.Presence, p.BedId, p.Since, projection.Acuity, projection.EncounterId)
            : null;

        var added = wanted.Where(f => !sentSet.Contains(f)).ToList();
        var removed = sentSet.Where(f => !wanted.Contains(f)).ToList();
        if (added.Count == 0 && removed.Count == 0 && placement == sentPlacement)
        {
            return null;
        }

        var factsByWard = new Dictionary<string, List<WardFlowFact>>(StringComparer.Ordinal);
        foreach (var fact in added)
        {
            FactsOf(factsByWard, fact.WardId).Add(new WardFlowFact(fact.EventId, fact.Kind, fact.OccurredAt, Retracted: false));
        }

        foreach (var fact in removed)
        {
            FactsOf(factsByWard, fact.WardId).Add(new WardFlowFact(fact.EventId, fact.Kind, fact.OccurredAt, Retracted: true));
        }

        if (placement != sentPlacement)
        {
            if (sentPlacement is not null && sentPlacement.WardId != placement?.WardId)
            {
                FactsOf(factsByWard, sentPlacement.WardId);
            }

            if (placement is not null)
            {
                FactsOf(factsByWard, placement.WardId);
            }
        }

        var updates = new List<(string, WardUpdate)>(factsByWard.Count);
        foreach (var (wardId, facts) in factsByWard)
        {
            var here = placement is not null && placement.WardId == wardId ? placement : null;
            updates.Add((wardId, new WardUpdate(patientId, here?.EncounterId ?? projection.EncounterId,
                here?.Presence ?? WardPresence.Absent, here?.BedId, here?.Since, here?.Acuity, facts)));
        }

        return new WardSyncPlan(updates, [.. wanted], placement);
    }

    private static List<WardFlowFact> FactsOf(Dictionary<string, List<WardFlowFact>> byWard, string wardId)
    {
        if (!byWard.TryGetValue(wardId, out var facts))
        {
            facts = [];
            byWard[wardId] = facts;
        }

        return facts;
    }
}
