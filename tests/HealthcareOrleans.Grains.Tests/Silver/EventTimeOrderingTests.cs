using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Grains.Tests.Support;
using HealthcareOrleans.PatientFlow.Silver;
using static HealthcareOrleans.Contracts.Events.PatientFlowEventType;
using static HealthcareOrleans.Grains.Tests.Support.Clean;

namespace HealthcareOrleans.Grains.Tests.Silver;

/// <summary>Guarantees 2 and 3: replays change nothing; events apply in event-time order whatever order they arrive in.</summary>
public sealed class EventTimeOrderingTests
{
    private static CleanEvent[] Journey() =>
    [
        Arrival("a", 0, attributes: Attributes("F", "65-79", "SW1A", "Nhs")),
        Admit("b", 60, "RGH-AMU", "AMU-4"),
        Update("u", 300, Attributes(payer: "Private")),
        Transfer("c", 600, "RGH-CAR", "CAR-2"),
        Discharge("d", 3000),
    ];

    private static CleanEvent[] JourneyWithCancels() =>
    [
        Admit("b", 0, "RGH-AMU", "AMU-4"),
        Transfer("c1", 60, "RGH-CAR", "CAR-2"),
        Cancel("x", CancelTransfer, 70),
        Transfer("c2", 120, "RGH-ICU", "I-1"),
        Discharge("d", 600),
    ];

    public static TheoryData<string> Journeys() => new() { nameof(Journey), nameof(JourneyWithCancels) };

    [Theory]
    [MemberData(nameof(Journeys))]
    public void Every_delivery_order_of_a_journey_gives_the_in_order_projection(string journey)
    {
        var events = journey == nameof(Journey) ? Journey() : JourneyWithCancels();
        var expected = Snapshot.Of(Project(events));
        var orders = 0;

        foreach (var order in Permutations(events))
        {
            var actual = Snapshot.Of(Project(order));
            Assert.True(expected == actual, $"delivered as {string.Join(",", order.Select(e => e.EventId))}:\n{actual}\nexpected:\n{expected}");
            orders++;
        }

        Assert.Equal(120, orders);
    }

    [Fact]
    public void Any_delivery_order_with_replays_mixed_in_gives_the_in_order_projection()
    {
        var events = Journey().Concat(JourneyWithCancels().Select(e => e with { EventId = "2-" + e.EventId, EncounterId = "E-2", OccurredAt = e.OccurredAt.AddDays(3) })).ToArray();
        var expected = Snapshot.Of(Project(events));
        var random = new Random(20250304);

        for (var run = 0; run < 200; run++)
        {
            var delivery = events.Concat(events.Where((_, i) => random.Next(3) == 0)).ToArray();
            random.Shuffle(delivery);
            Assert.Equal(expected, Snapshot.Of(Project(delivery)));
        }
    }

    [Fact]
    public void An_event_id_seen_before_is_a_duplicate_and_changes_nothing()
    {
        var timeline = Timeline(Admit("b", 0, "RGH-AMU"));
        var before = Snapshot.Of(timeline.Project(PatientId));

        Assert.Equal(TimelineOutcome.Duplicate, timeline.Insert(Admit("b", 0, "RGH-AMU"), PatientId));
        Assert.Equal(TimelineOutcome.Duplicate, timeline.Insert(Admit("b", 0, "RGH-AMU") with { Position = new BrokerPosition(3, 99, 0) }, PatientId));

        Assert.Single(timeline.Events);
        Assert.Equal(before, Snapshot.Of(timeline.Project(PatientId)));
    }

    [Fact]
    public void A_replayed_cancel_cancels_only_once()
    {
        var timeline = Timeline(Admit("b", 0, "RGH-AMU"), Transfer("c1", 60, "RGH-CAR"), Transfer("c2", 120, "RGH-ICU"), Cancel("x", CancelTransfer, 130));

        Assert.Equal(TimelineOutcome.Duplicate, timeline.Insert(Cancel("x", CancelTransfer, 130), PatientId));

        Assert.Equal("RGH-CAR", timeline.Project(PatientId).WardId);
    }

    [Fact]
    public void A_late_event_is_inserted_where_it_belongs()
    {
        var timeline = Timeline(Admit("b", 0, "RGH-AMU", "AMU-1"), Discharge("d", 600));

        Assert.Equal(TimelineOutcome.InsertedLate, timeline.Insert(Transfer("c", 300, "RGH-CAR", "CAR-1"), PatientId));

        Assert.Equal(["b", "c", "d"], timeline.Events.Select(e => e.EventId));
        var p = timeline.Project(PatientId);
        Assert.Equal(
            [new WardStay("E-1", "RGH-AMU", "AMU-1", At(0), At(300)), new WardStay("E-1", "RGH-CAR", "CAR-1", At(300), At(600))],
            p.Journey);
        Assert.Equal(new ProjectedFact("RGH-CAR", "d", WardFlowKind.Discharge, At(600)), p.Facts[^1]);
    }

    [Fact]
    public void Events_at_the_same_instant_keep_the_order_the_broker_gave_them()
    {
        var admit = Admit("b", 0, "RGH-AMU") with { Position = new BrokerPosition(0, 10, 0) };
        var transfer = Transfer("c", 0, "RGH-CAR") with { Position = new BrokerPosition(0, 11, 0) };

        var p = Project(transfer, admit);

        Assert.Equal("RGH-CAR", p.WardId);
        Assert.Equal(["b", "c"], Timeline(transfer, admit).Events.Select(e => e.EventId));
    }

    [Fact]
    public void An_event_in_order_is_appended()
    {
        var timeline = new PatientTimeline();

        Assert.Equal(TimelineOutcome.Appended, timeline.Insert(Admit("b", 0), PatientId));
        Assert.Equal(TimelineOutcome.Appended, timeline.Insert(Discharge("d", 10), PatientId));
        Assert.Equal(TimelineOutcome.Appended, timeline.Insert(Cancel("x", CancelDischarge, 20), PatientId));
        Assert.Equal(PatientStatus.Admitted, timeline.Project(PatientId).Status);
    }

    [Fact]
    public void Compaction_keeps_the_projection_identical()
    {
        var events = ThreeEncounters();
        var whole = Snapshot.Of(Project(events));
        var timeline = Timeline(events);

        timeline.Compact(PatientId, maxEvents: 4, maxRememberedIds: 100);

        Assert.True(timeline.Events.Count < events.Length, "nothing was compacted");
        Assert.NotNull(timeline.Horizon);
        Assert.Equal(whole, Snapshot.Of(timeline.Project(PatientId)));
    }

    [Fact]
    public void Folding_the_baseline_and_then_the_rest_equals_folding_everything()
    {
        var events = ThreeEncounters();
        var timeline = Timeline(events);
        timeline.Compact(PatientId, maxEvents: 4, maxRememberedIds: 100);

        var rest = timeline.Events.ToArray();
        var compacted = events.Take(events.Length - rest.Length).ToArray();
        Assert.Equal(Snapshot.Of(Project(compacted)), Snapshot.Of(Assert.IsType<PatientProjection>(timeline.Baseline)));

        var more = Admit("late-b", 9000, "RGH-SRG", encounter: "E-4");
        timeline.Insert(more, PatientId);
        Assert.Equal(Snapshot.Of(Project([.. events, more])), Snapshot.Of(timeline.Project(PatientId)));
    }

    [Fact]
    public void Compaction_keeps_the_projection_identical_when_a_later_cancel_finds_nothing_in_the_open_encounter()
    {
        CleanEvent[] events =
        [
            .. ThreeEncounters(),
            Admit("3-b", 3 * 4000, "RGH-AMU", encounter: "E-3"),
            Cancel("x1", CancelTransfer, 3 * 4000 + 10, encounter: null),
            Cancel("x2", CancelDischarge, 3 * 4000 + 20, encounter: "E-2"),
        ];
        var whole = Snapshot.Of(Project(events));
        var timeline = Timeline(events);

        timeline.Compact(PatientId, maxEvents: 2, maxRememberedIds: 100);

        Assert.Equal(["3-b", "x1", "x2"], timeline.Events.Select(e => e.EventId));
        Assert.Equal(whole, Snapshot.Of(timeline.Project(PatientId)));
    }

    [Fact]
    public void Compaction_stops_at_the_end_of_a_closed_encounter()
    {
        var timeline = Timeline(ThreeEncounters());

        timeline.Compact(PatientId, maxEvents: 4, maxRememberedIds: 100);

        Assert.Contains(timeline.Events[0].Type, new[] { Contracts.Events.PatientFlowEventType.Arrival, Contracts.Events.PatientFlowEventType.Admit });
        Assert.Equal(At(4000 + 500), timeline.Horizon);
        Assert.Equal(["2-b", "2-c", "2-d"], timeline.Events.Select(e => e.EventId));
    }

    [Fact]
    public void An_open_encounter_is_never_compacted()
    {
        var timeline = Timeline(Admit("b", 0), Transfer("c1", 10, "RGH-CAR"), Transfer("c2", 20, "RGH-ICU"), Transfer("c3", 30, "RGH-SRG"));

        timeline.Compact(PatientId, maxEvents: 1, maxRememberedIds: 100);

        Assert.Equal(4, timeline.Events.Count);
        Assert.Null(timeline.Horizon);
    }

    [Fact]
    public void A_replay_of_a_compacted_event_is_still_a_duplicate()
    {
        var events = ThreeEncounters();
        var timeline = Timeline(events);
        timeline.Compact(PatientId, maxEvents: 4, maxRememberedIds: 100);
        var before = Snapshot.Of(timeline.Project(PatientId));

        foreach (var e in events)
        {
            Assert.Equal(TimelineOutcome.Duplicate, timeline.Insert(e, PatientId));
        }

        Assert.Equal(before, Snapshot.Of(timeline.Project(PatientId)));
    }

    [Fact]
    public void An_event_before_the_compaction_horizon_is_too_late()
    {
        var timeline = Timeline(ThreeEncounters());
        timeline.Compact(PatientId, maxEvents: 4, maxRememberedIds: 100);
        var before = Snapshot.Of(timeline.Project(PatientId));

        Assert.Equal(TimelineOutcome.TooLate, timeline.Insert(Update("old", 100, bed: "X"), PatientId));

        Assert.Equal(before, Snapshot.Of(timeline.Project(PatientId)));
        Assert.DoesNotContain(timeline.Events, e => e.EventId == "old");
    }

    [Fact]
    public void Remembered_ids_are_bounded_to_the_most_recent()
    {
        var timeline = Timeline(ThreeEncounters());

        timeline.Compact(PatientId, maxEvents: 4, maxRememberedIds: 3);

        Assert.Equal(["1-b", "1-c", "1-d"], timeline.CompactedEventIds);
        Assert.Equal(TimelineOutcome.Duplicate, timeline.Insert(Discharge("1-d", 4000 + 500, encounter: "E-1"), PatientId));
        // Forgotten, but older than the horizon: still not applied twice.
        Assert.Equal(TimelineOutcome.TooLate, timeline.Insert(Admit("0-b", 0, "RGH-AMU", "A-0", encounter: "E-0"), PatientId));
    }

    /// <summary>Three complete stays, 4000 minutes apart: ADMIT, TRANSFER, DISCHARGE each.</summary>
    private static CleanEvent[] ThreeEncounters() =>
    [
        .. Enumerable.Range(0, 3).SelectMany(i => new[]
        {
            Admit($"{i}-b", i * 4000, "RGH-AMU", $"A-{i}", encounter: $"E-{i}"),
            Transfer($"{i}-c", i * 4000 + 100, "RGH-CAR", encounter: $"E-{i}"),
            Discharge($"{i}-d", i * 4000 + 500, encounter: $"E-{i}"),
        }),
    ];

    private static IEnumerable<CleanEvent[]> Permutations(CleanEvent[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
