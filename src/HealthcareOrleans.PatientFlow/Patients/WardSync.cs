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
    private const int SmallSet = 16;

    public static WardSyncPlan? Plan(string patientId, PatientProjection projection, IReadOnlyList<ProjectedFact> sent, PlacementSnapshot? sentPlacement)
    {
        // Facts older than the wards' live window are forgotten by the wards; syncing them would only cost.
        var windowStart = projection.LastEventAt is { } last ? last - WardLedger.Window - TimeSpan.FromHours(1) : DateTimeOffset.MinValue;
        // Runs on every event: a patient has a handful of facts in the window, so distinct lists with linear lookups
        // allocate less than sets and are as fast; a long history switches to sets.
        // Sized for every fact (nearly always all of them are in the window): the list becomes the stored SentFacts of an idle patient.
        var wanted = new List<ProjectedFact>(projection.Facts.Count);
        var wantedSet = projection.Facts.Count > SmallSet ? new HashSet<ProjectedFact>() : null;
        foreach (var fact in projection.Facts)
        {
            if (fact.OccurredAt >= windowStart && (wantedSet?.Add(fact) ?? !wanted.Contains(fact)))
            {
                wanted.Add(fact);
            }
        }

        var sentInWindow = new List<ProjectedFact>(sent.Count);
        var sentSet = sent.Count > SmallSet ? new HashSet<ProjectedFact>() : null;
        for (var i = 0; i < sent.Count; i++)
        {
            var fact = sent[i];
            if (fact.OccurredAt >= windowStart && (sentSet?.Add(fact) ?? !sentInWindow.Contains(fact)))
            {
                sentInWindow.Add(fact);
            }
        }

        var placement = projection.Placement is { } p
            ? new PlacementSnapshot(p.WardId, p.Presence, p.BedId, p.Since, projection.Acuity, projection.EncounterId)
            : null;

        List<ProjectedFact>? added = null;
        foreach (var fact in wanted)
        {
            if (!(sentSet?.Contains(fact) ?? sentInWindow.Contains(fact)))
            {
                (added ??= []).Add(fact);
            }
        }

        List<ProjectedFact>? removed = null;
        foreach (var fact in sentInWindow)
        {
            if (!(wantedSet?.Contains(fact) ?? wanted.Contains(fact)))
            {
                (removed ??= []).Add(fact);
            }
        }

        if (added is null && removed is null && placement == sentPlacement)
        {
            return null;
        }

        var factsByWard = new Dictionary<string, List<WardFlowFact>>(StringComparer.Ordinal);
        if (added is not null)
        {
            foreach (var fact in added)
            {
                FactsOf(factsByWard, fact.WardId).Add(new WardFlowFact(fact.EventId, fact.Kind, fact.OccurredAt, Retracted: false));
            }
        }

        if (removed is not null)
        {
            foreach (var fact in removed)
            {
                FactsOf(factsByWard, fact.WardId).Add(new WardFlowFact(fact.EventId, fact.Kind, fact.OccurredAt, Retracted: true));
            }
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

        return new WardSyncPlan(updates, wanted, placement);
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
