namespace HealthcareOrleans.Simulation.Model;

/// <summary>Why a patient waits for a bed; lower values are served first.</summary>
internal enum BedRequestClass
{
    /// <summary>Stepping down from critical care: frees the scarcest bed in the hospital, so it goes first.</summary>
    CriticalCareStepDown = 0,

    /// <summary>A patient without a bed (in the emergency department or admissions lounge).</summary>
    Admission = 1,

    /// <summary>A move between wards of a patient who already has a bed.</summary>
    Transfer = 2,
}

/// <summary>
/// Patients waiting for a bed in one department, served by class, then by an urgency-adjusted request time: each
/// acuity level more urgent counts as having asked <see cref="HeadStartPerAcuityLevel"/> earlier. Sicker patients get
/// beds first, yet nobody starves behind a stream of sicker arrivals, as with strict priority. A planned admission has
/// a booked bed and ranks as acuity 3.
/// </summary>
internal sealed class BedQueue
{
    public static readonly TimeSpan HeadStartPerAcuityLevel = TimeSpan.FromHours(12);

    private const int ElectiveUrgency = 3;

    private readonly PriorityQueue<Encounter, (int Class, long RankTicks, long Order)> _waiting = new();
    private long _order;

    public int Count => _waiting.Count;

    public void Enqueue(Encounter encounter, BedRequestClass requestClass, DateTimeOffset requestedAt)
    {
        var levelsAboveLeastUrgent = 5 - (encounter.Acuity ?? ElectiveUrgency);
        var rank = requestedAt.UtcTicks - (levelsAboveLeastUrgent * HeadStartPerAcuityLevel.Ticks);
        _waiting.Enqueue(encounter, ((int)requestClass, rank, _order++));
    }

    public Encounter Dequeue() => _waiting.Dequeue();
}
