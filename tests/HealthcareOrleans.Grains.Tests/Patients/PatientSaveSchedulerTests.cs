using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Tests.Patients;

public sealed class PatientSaveSchedulerTests
{
    [Fact]
    public async Task A_save_is_asked_for_once_the_write_delay_has_passed_on_the_silo_clock_in_the_order_asked()
    {
        var clock = new HandMovedClock();
        using var scheduler = NewScheduler(clock);
        var asked = new List<string>();
        var (a, b, c) = (new Target("a", asked), new Target("b", asked), new Target("c", asked));

        scheduler.Schedule(a);
        scheduler.Schedule(b);
        await Task.Delay(300);
        Assert.Empty(Snapshot(asked));

        clock.Advance(TimeSpan.FromSeconds(5));
        scheduler.Schedule(c);
        clock.Advance(TimeSpan.FromSeconds(5));
        await Until(() => Snapshot(asked).Count == 2);
        await Task.Delay(300);
        Assert.Equal(["a", "b"], Snapshot(asked));

        clock.Advance(TimeSpan.FromSeconds(5));
        await Until(() => Snapshot(asked).Count == 3);
        Assert.Equal(["a", "b", "c"], Snapshot(asked));
    }

    [Fact]
    public async Task A_request_that_fails_is_sent_again_after_the_delay_and_a_deactivated_patient_is_not_asked()
    {
        var clock = new HandMovedClock();
        using var scheduler = NewScheduler(clock);
        var asked = new List<string>();
        var failing = new Target("failing", asked) { FailuresLeft = 1 };
        var gone = new Target("gone", asked) { IsActive = false };

        scheduler.Schedule(failing);
        scheduler.Schedule(gone);
        clock.Advance(TimeSpan.FromSeconds(10));
        await Until(() => Snapshot(asked).Count == 1);

        // The retry waits for a whole delay from the failure, like a save that failed.
        await Task.Delay(300);
        Assert.Equal(["failing"], Snapshot(asked));
        clock.Advance(TimeSpan.FromSeconds(10));
        await Until(() => Snapshot(asked).Count == 2);
        await Task.Delay(300);
        Assert.Equal(["failing", "failing"], Snapshot(asked));
    }

    private static PatientSaveScheduler NewScheduler(TimeProvider clock) =>
        new(Options.Create(new PatientGrainOptions { StateWriteDelay = TimeSpan.FromSeconds(10) }), clock, NullLogger<PatientSaveScheduler>.Instance);

    private static List<string> Snapshot(List<string> asked)
    {
        lock (asked)
        {
            return [.. asked];
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The saves were not asked for within 10 s.");
            await Task.Delay(20);
        }
    }

    private sealed class Target(string name, List<string> asked) : IPatientSaveTarget
    {
        public int FailuresLeft { get; set; }

        public bool IsActive { get; set; } = true;

        public async Task RequestSaveAsync()
        {
            lock (asked)
            {
                asked.Add(name);
            }

            await Task.Yield();
            if (FailuresLeft-- > 0)
            {
                throw new TimeoutException("The request timed out.");
            }
        }
    }

    /// <summary>Timestamps move only when the test says; the scheduler's wake-ups still come from real timers.</summary>
    private sealed class HandMovedClock : TimeProvider
    {
        private long _now = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _now, by.Ticks);
    }
}
