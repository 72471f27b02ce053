using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Grains.Silver;

/// <summary>
/// The time rule of an encounter named by its id: it starts (ARRIVAL, ADMIT), moves (TRANSFER) and only then ends
/// (DISCHARGE). An event that would put the end before a start or a move, or a start or a move after the end, is
/// impossible: the newcomer is refused, whichever of the two came first stays. An encounter id names one encounter
/// of a patient, so reusing it after its discharge falls under the same rule (cancel the discharge to reopen it).
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
        for (var i = 0; i < events.Count; i++)
        {
            var other = events[i];
            if (other.EncounterId != encounterId)
            {
                continue;
            }

            var conflict = ends
                ? Moves(other.Type) && other.OccurredAt > e.OccurredAt
                : other.Type == PatientFlowEventType.Discharge && other.OccurredAt < e.OccurredAt;
            if (conflict && !(cancelled ??= PatientTimeline.Cancelled(events))[i])
            {
                return true;
            }
        }

        return false;
    }

    private static bool Moves(PatientFlowEventType type) =>
        type is PatientFlowEventType.Arrival or PatientFlowEventType.Admit or PatientFlowEventType.Transfer;
}
