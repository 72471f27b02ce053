using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Simulation.Tests.Support;

namespace HealthcareOrleans.Simulation.Tests;

public sealed class FaultInjectionTests
{
    private const double Rate = 0.02;
    private readonly PatientFlowDecoder _decoder = new();

    [Fact]
    public async Task Fault_counts_follow_the_configured_rates_and_are_reported_exactly()
    {
        var clock = new JumpingClock(Simulations.Start.AddYears(5));
        var simulator = new PatientFlowSimulator(Simulations.Options() with { Faults = Simulations.EveryFault(Rate), Count = 30_000 }, clock);
        var delivered = new List<SimulatedMessage>();

        var run = await simulator.RunAsync((message, _) =>
        {
            delivered.Add(message);
            return ValueTask.CompletedTask;
        });

        var genuine = delivered.Count(m => m.Fault is null or FaultKind.OutOfOrder or FaultKind.Late);
        foreach (var kind in FaultKinds.All)
        {
            var seen = delivered.Count(m => m.Fault == kind);
            Assert.Equal(seen, run.Faults[kind]);
            Assert.InRange(seen, genuine * Rate * 0.75, genuine * Rate * 1.25);
        }

        Assert.Equal(30_000, run.Messages);
        Assert.Equal(delivered.Count(m => m.Fault is not null), run.Faults.Total);
        Assert.Equal(delivered.Count(m => m.Event is not null), run.EventsByType.Values.Sum());
    }

    [Fact]
    public async Task Malformed_messages_fail_to_decode_as_malformed_json()
    {
        var messages = await Faulty(new FaultInjectionOptions { MalformedJsonRate = 0.05 });

        var malformed = messages.Where(m => m.Fault == FaultKind.MalformedJson).ToList();
        Assert.True(malformed.Count > 50);
        Assert.All(malformed, m =>
        {
            Assert.Null(m.Event);
            Assert.Equal(RejectionReasons.MalformedJson, _decoder.Decode(m.Value, m.SimulatedAt.AddMinutes(1)).RejectionReason);
        });
    }

    [Fact]
    public async Task Unknown_ward_messages_name_a_ward_absent_from_the_layout()
    {
        var messages = await Faulty(new FaultInjectionOptions { UnknownWardRate = 0.05 });
        var known = HospitalLayout.Default.Wards.Select(w => w.WardId).ToHashSet();

        var unknown = messages.Where(m => m.Fault == FaultKind.UnknownWard).ToList();
        Assert.True(unknown.Count > 50);
        Assert.All(unknown, m =>
        {
            var decoded = _decoder.Decode(m.Value, m.Event!.OccurredAt.AddMinutes(1));
            Assert.True(decoded.IsAccepted);
            Assert.False(known.Contains(decoded.Event!.WardId!), decoded.Event.WardId);
            Assert.EndsWith("-F", decoded.Event.EventId, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Impossible_times_are_in_the_future_or_a_discharge_before_its_admission()
    {
        var clock = new JumpingClock(Simulations.Start.AddYears(5));
        var simulator = new PatientFlowSimulator(
            Simulations.Options() with { Faults = new FaultInjectionOptions { ImpossibleTimeRate = 0.05 }, Count = 6_000 }, clock);
        var admittedAt = new Dictionary<string, DateTimeOffset>();
        var future = 0;
        var beforeAdmission = 0;

        await foreach (var message in simulator.GenerateAsync())
        {
            var evt = message.Event!;
            if (message.Fault is null && evt.EventType == PatientFlowEventType.Admit)
            {
                admittedAt[evt.EncounterId!] = evt.OccurredAt;
            }

            if (message.Fault != FaultKind.ImpossibleTime)
            {
                continue;
            }

            var decoded = _decoder.Decode(message.Value, clock.GetUtcNow());
            if (decoded.RejectionReason == RejectionReasons.For(RejectionReasons.FutureTimestamp, "occurred_at"))
            {
                future++;
            }
            else
            {
                Assert.True(decoded.IsAccepted, decoded.RejectionReason);
                Assert.Equal(PatientFlowEventType.Discharge, decoded.Event!.EventType);
                Assert.True(decoded.Event.OccurredAt < admittedAt[decoded.Event.EncounterId!]);
                beforeAdmission++;
            }
        }

        Assert.True(future > 30 && beforeAdmission > 10, $"{future} future, {beforeAdmission} before admission");
    }

    [Fact]
    public async Task Duplicates_repeat_the_bytes_just_sent()
    {
        var messages = await Faulty(new FaultInjectionOptions { DuplicateRate = 0.05 });

        var duplicates = messages.Select((m, i) => (m, i)).Where(p => p.m.Fault == FaultKind.Duplicate).ToList();
        Assert.True(duplicates.Count > 50);
        Assert.All(duplicates, p => Assert.Equal(messages[p.i - 1].Value, p.m.Value));
    }

    [Fact]
    public async Task An_out_of_order_message_arrives_after_a_later_event_of_the_same_patient()
    {
        var messages = await Faulty(new FaultInjectionOptions { OutOfOrderRate = 0.05 });

        var swapped = messages.Select((m, i) => (m, i)).Where(p => p.m.Fault == FaultKind.OutOfOrder).ToList();
        Assert.True(swapped.Count > 50);
        Assert.All(swapped, p =>
        {
            var overtaker = messages[p.i - 1];
            Assert.Equal(p.m.Key, overtaker.Key);
            Assert.True(overtaker.Event!.OccurredAt >= p.m.Event!.OccurredAt);
            Assert.True(string.CompareOrdinal(overtaker.Event.EventId, p.m.Event.EventId) > 0);
        });
    }

    [Fact]
    public async Task A_late_message_arrives_minutes_after_it_occurred_behind_later_events()
    {
        var messages = await Faulty(new FaultInjectionOptions { LateRate = 0.05 });

        var late = messages.Select((m, i) => (m, i)).Where(p => p.m.Fault == FaultKind.Late).ToList();
        Assert.True(late.Count > 50);
        Assert.All(late, p =>
        {
            var delay = p.m.SimulatedAt - p.m.Event!.OccurredAt;
            Assert.InRange(delay, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30));
        });
        Assert.Contains(late, p => p.i > 0 && messages[p.i - 1].Event!.OccurredAt > p.m.Event!.OccurredAt);
    }

    private static Task<List<SimulatedMessage>> Faulty(FaultInjectionOptions faults) =>
        Simulations.TakeAsync(Simulations.Options() with { Faults = faults }, 6_000);
}
