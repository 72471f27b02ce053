using HealthcareOrleans.Grains.Patients;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Grains.Tests.Patients;

public sealed class PatientSaveSchedulerTests
{
    [Fact]
    public async Task A_save_runs_once_the_write_delay_has_passed_on_the_silo_clock_and_saves_run_in_the_order_asked()
    {
        var clock = new HandMovedClock();
        using var scheduler = new PatientSaveScheduler(Options.Create(new PatientGrainOptions { StateWriteDelay = TimeSpan.FromSeconds(10) }), clock);
        var saved = new List<string>();
        var (a, b, c) = (new Target("a", saved), new Target("b", saved), new Target("c", saved));

        scheduler.Schedule(a);
        scheduler.Schedule(b);
        await Task.Delay(300);
        Assert.Empty(Snapshot(saved));

        clock.Advance(TimeSpan.FromSeconds(5));
        scheduler.Schedule(c);
        clock.Advance(TimeSpan.FromSeconds(5));
        await Until(() => Snapshot(saved).Count == 2);
        await Task.Delay(300);
        Assert.Equal(["a", "b"], Snapshot(saved));

        clock.Advance(TimeSpan.FromSeconds(5));
        await Until(() => Snapshot(saved).Count == 3);
        Assert.Equal(["a", "b", "c"], Snapshot(saved));
    }

    private static List<string> Snapshot(List<string> saved)
    {
        lock (saved)
        {
            return [.. saved];
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The saves did not run within 10 s.");
            await Task.Delay(20);
        }
    }

    private sealed class Target(string name, List<string> saved) : IPatientSaveTarget
    {
        public void SaveDue()
        {
            lock (saved)
            {
                saved.Add(name);
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
