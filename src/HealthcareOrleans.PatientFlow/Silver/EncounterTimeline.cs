using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.PatientFlow.Silver;

/// <summary>
/// The time rule of an encounter named by its id: it starts (ARRIVAL, ADMIT), moves (TRANSFER) and only then ends
/// (DISCHARGE). An event that would put the end before a start or a move, or a start or a move after the end, is
/// impossible: the newcomer is refused, whichever of the two came first stays. An encounter id names one encounter
/// of a patient, so reusing it after its discharge falls under the same rule (cancel the discharge to reopen it), and
/// so does reusing it across another encounter: a start or move of an encounter on the other side of a later
/// encounter's start (which closed it) is refused too.
/// Cancelled events do not count. Events without an encounter id belong to whichever encounter is open at their time
/// and are judged by the fold instead.
/// </summary>
internal static class EncounterTimeline
{
    public static bool Contradicts(CleanEvent e, List<CleanEvent> events, PatientProjection? baseline)
    {
        if (e.EncounterId is not { } encounterId)
        {
            return false;
        }

        var ends = e.Type == PatientFlowEventType.Discharge;
        if (!ends && !Moves(e.Type))
        {
            return false;
        }

        if (!ends && baseline is not null
            && baseline.Encounters.Any(s => s.EncounterId == encounterId && s.Ending == EncounterEnding.Discharged && s.EndedAt < e.OccurredAt))
        {
            return true;
        }

        bool[]? cancelled = null;
        bool Counts(int index) => !(cancelled ??= PatientTimeline.Cancelled(events))[index];

        // Starts of other encounters: an encounter cannot go on across one (the later start closed it).
        List<DateTimeOffset>? otherStarts = null;
        if (!ends)
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Type is PatientFlowEventType.Arrival or PatientFlowEventType.Admit
                    && events[i].EncounterId is { } other && other != encounterId && Counts(i))
                {
                    (otherStarts ??= []).Add(events[i].OccurredAt);
                }
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            var mine = events[i];
            if (mine.EncounterId != encounterId)
            {
                continue;
            }

            var conflict = ends
                ? Moves(mine.Type) && mine.OccurredAt > e.OccurredAt
                : (mine.Type == PatientFlowEventType.Discharge && mine.OccurredAt < e.OccurredAt) || Between(otherStarts, mine.OccurredAt, e.OccurredAt);
            if (conflict && Counts(i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Between(List<DateTimeOffset>? instants, DateTimeOffset a, DateTimeOffset b)
    {
        var (from, to) = a < b ? (a, b) : (b, a);
        return instants is not null && instants.Exists(t => t > from && t < to);
    }

    private static bool Moves(PatientFlowEventType type) =>
        type is PatientFlowEventType.Arrival or PatientFlowEventType.Admit or PatientFlowEventType.Transfer;
}
