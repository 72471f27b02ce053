using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.PatientFlow.Silver;

public enum TimelineOutcome
{
    /// <summary>Later than every event so far: applied on top of the current projection.</summary>
    Appended,
    /// <summary>Earlier than an event already applied: placed where it belongs and the projection recomputed.</summary>
    InsertedLate,
    /// <summary>Its event_id was applied before; replays change nothing.</summary>
    Duplicate,
    /// <summary>Older than the compacted history; it cannot be placed any more.</summary>
    TooLate,
    /// <summary>Its event_id was applied before with other content: an upstream system reused the id.</summary>
    ConflictingDuplicate,
    /// <summary>It contradicts its encounter's timeline (a discharge before the encounter's arrival, admission or transfer, or a start after its discharge).</summary>
    ImpossibleTime,
}

/// <summary>
/// A patient's Silver events in event-time order, deduplicated by event_id, with the projection they fold into.
/// Old closed encounters are compacted into a baseline so memory stays bounded; their event ids stay known in a
/// bounded window so a replay of them is still recognised.
/// </summary>
[GenerateSerializer, Alias("hc.patient-timeline")]
public sealed class PatientTimeline
{
    private static readonly Comparison<CleanEvent> EventTimeOrder = (a, b) =>
    {
        var byTime = a.OccurredAt.CompareTo(b.OccurredAt);
        return byTime != 0 ? byTime : a.Position.CompareTo(b.Position);
    };

    [NonSerialized] private HashSet<string>? _knownIds;
    [NonSerialized] private PatientProjection? _projection;

    /// <summary>The compacted history folded into a projection; null until the first compaction (most patients never get one).</summary>
    [Id(0)] public PatientProjection? Baseline { get; private set; }
    [Id(1)] public List<CleanEvent> Events { get; private set; } = [];
    /// <summary>Ids of compacted events still recognised as duplicates; null until the first compaction (most patients never get one).</summary>
    [Id(2)] public List<string>? CompactedEventIds { get; private set; }
    /// <summary>Event time up to which history is compacted; nothing earlier can be inserted.</summary>
    [Id(3)] public DateTimeOffset? Horizon { get; private set; }

    /// <summary>
    /// Places <paramref name="e"/> in event-time order, or refuses it. The one rule set of Silver: the patient grains,
    /// the Silver flush and a rebuild all decide through this method, on the same per-patient sequence of events.
    /// </summary>
    public TimelineOutcome Insert(CleanEvent e, string patientId)
    {
        var known = KnownIds();
        if (known.Contains(e.EventId))
        {
            return Events.Find(x => x.EventId == e.EventId) is { } earlier && !SilverContent.Same(earlier, e)
                ? TimelineOutcome.ConflictingDuplicate
                : TimelineOutcome.Duplicate;
        }

        if (Horizon is { } horizon && e.OccurredAt < horizon)
        {
            return TimelineOutcome.TooLate;
        }

        if (EncounterTimeline.Contradicts(e, Events, Baseline))
        {
            return TimelineOutcome.ImpossibleTime;
        }

        known.Add(e.EventId);
        e = SharingEncounterId(e);
        var appended = Events.Count == 0 || EventTimeOrder(Events[^1], e) <= 0;
        if (appended)
        {
            Events.Add(e);
        }
        else
        {
            var index = Events.BinarySearch(e, Comparer<CleanEvent>.Create(EventTimeOrder));
            Events.Insert(index < 0 ? ~index : index, e);
        }

        if (appended && !IsCancel(e.Type) && _projection is not null)
        {
            _projection.Apply(e, patientId);
            return TimelineOutcome.Appended;
        }

        _projection = null;
        return appended ? TimelineOutcome.Appended : TimelineOutcome.InsertedLate;
    }

    /// <summary>The events that count: those not voided by a cancel (for rules that look at an encounter's history).</summary>
    internal static bool[] Cancelled(List<CleanEvent> events) => ResolveCancels(events, new PatientProjection());

    /// <summary>An encounter's events decode their encounter id each into its own string; a resident patient keeps one.</summary>
    private CleanEvent SharingEncounterId(CleanEvent e)
    {
        if (e.EncounterId is null)
        {
            return e;
        }

        for (var i = Events.Count - 1; i >= 0; i--)
        {
            if (Events[i].EncounterId is { } shared && !ReferenceEquals(shared, e.EncounterId) && string.Equals(shared, e.EncounterId, StringComparison.Ordinal))
            {
                return e with { EncounterId = shared };
            }
        }

        return e;
    }

    /// <summary>
    /// The projection without keeping it: for reads (the API, Gold) of a patient that may be idle, which would otherwise
    /// bring back what <see cref="ReleaseDerived"/> let go until the patient's next save.
    /// </summary>
    public PatientProjection Peek(string patientId) => _projection ?? Fold(Baseline, Events, patientId);

    public PatientProjection Project(string patientId) => _projection ??= Fold(Baseline, Events, patientId);

    /// <summary>
    /// Drops what <see cref="Project"/> and the duplicate check rebuild on demand (a fold of a few events): a saved,
    /// idle patient then holds only its events, the largest share of a resident grain's memory otherwise.
    /// </summary>
    public void ReleaseDerived()
    {
        _knownIds = null;
        _projection = null;
    }

    /// <summary>
    /// Folds the oldest events into the baseline once more than <paramref name="maxEvents"/> are held, but only
    /// up to the end of a closed encounter: an open encounter stays replayable so a late event can still land in it.
    /// </summary>
    public void Compact(string patientId, int maxEvents, int maxRememberedIds)
    {
        if (Events.Count <= maxEvents)
        {
            return;
        }

        var cut = CompactionCut(Events.Count - maxEvents);
        if (cut <= 0)
        {
            return;
        }

        var compacted = Events.GetRange(0, cut);
        Baseline = Fold(Baseline, compacted, patientId);
        Horizon = compacted[^1].OccurredAt;
        Events.RemoveRange(0, cut);
        var remembered = CompactedEventIds ??= [];
        remembered.AddRange(compacted.Select(e => e.EventId));
        if (remembered.Count > maxRememberedIds)
        {
            remembered.RemoveRange(0, remembered.Count - maxRememberedIds);
        }

        _knownIds = null;
        _projection = null;
    }

    /// <summary>
    /// The smallest cut of at least <paramref name="wanted"/> events that ends with a discharge followed by a new
    /// encounter (so no cancel can still reach back into it), else the largest such cut there is.
    /// </summary>
    private int CompactionCut(int wanted)
    {
        var cut = 0;
        for (var i = 1; i < Events.Count; i++)
        {
            if (StartsNewEncounter(Events, i))
            {
                cut = i;
                if (cut >= wanted)
                {
                    break;
                }
            }
        }

        return cut;
    }

    private HashSet<string> KnownIds() =>
        _knownIds ??= new HashSet<string>(Events.Select(e => e.EventId).Concat(CompactedEventIds ?? []), StringComparer.Ordinal);

    private static PatientProjection Fold(PatientProjection? baseline, List<CleanEvent> events, string patientId)
    {
        var projection = baseline?.Clone() ?? new PatientProjection();
        var cancelled = ResolveCancels(events, projection);
        for (var i = 0; i < events.Count; i++)
        {
            if (!cancelled[i] && !IsCancel(events[i].Type))
            {
                projection.Apply(events[i], patientId);
            }
        }

        return projection;
    }

    /// <summary>
    /// A cancel (HL7 A11/A12/A13) voids the latest earlier event of its kind in the same encounter: the fold then
    /// runs as if that event never happened, and wards are told to take back what it counted.
    /// </summary>
    private static bool[] ResolveCancels(List<CleanEvent> events, PatientProjection projection)
    {
        var cancelled = new bool[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var cancel = events[i];
            if (CancelledType(cancel.Type) is not { } target)
            {
                continue;
            }

            var found = false;
            for (var j = i - 1; j >= 0 && !found; j--)
            {
                var candidate = events[j];
                if (!cancelled[j] && candidate.Type == target
                    && (cancel.EncounterId is null || candidate.EncounterId is null || cancel.EncounterId == candidate.EncounterId))
                {
                    cancelled[j] = true;
                    found = true;
                }
                else if (StartsNewEncounter(events, j))
                {
                    // Nothing before a new encounter can be cancelled any more: that is what lets Compact fold it into
                    // the baseline, and folding baseline + rest then decides every cancel as folding everything does.
                    break;
                }
            }

            if (!found)
            {
                projection.NoteAnomaly(cancel.EventId, "nothing_to_cancel");
            }
        }

        return cancelled;
    }

    /// <summary>A discharge directly followed by an arrival or admission: the point where a closed encounter ends.</summary>
    private static bool StartsNewEncounter(List<CleanEvent> events, int index) =>
        index > 0 && events[index - 1].Type == PatientFlowEventType.Discharge
        && events[index].Type is PatientFlowEventType.Arrival or PatientFlowEventType.Admit;

    private static bool IsCancel(PatientFlowEventType type) => CancelledType(type) is not null;

    private static PatientFlowEventType? CancelledType(PatientFlowEventType type) => type switch
    {
        PatientFlowEventType.CancelAdmit => PatientFlowEventType.Admit,
        PatientFlowEventType.CancelTransfer => PatientFlowEventType.Transfer,
        PatientFlowEventType.CancelDischarge => PatientFlowEventType.Discharge,
        _ => null,
    };
}
