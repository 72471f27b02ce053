namespace HealthcareOrleans.Simulation.Model;

/// <summary>What the simulation will do next and when.</summary>
internal enum AgendaWork
{
    EmergencyArrival,
    ElectiveArrival,
    /// <summary>Emergency assessment or pre-admission clerking done: go home, or join the bed queue.</summary>
    Disposition,
    /// <summary>The current ward stay is over: on to the next department, or home.</summary>
    StayEnds,
    /// <summary>A vacated bed has been cleaned.</summary>
    BedReady,
    PayerChange,
    AddressMove,
    Birthday,
}

internal readonly record struct AgendaItem(AgendaWork Work, HospitalModel Hospital, Encounter? Encounter = null, WardBeds? Ward = null, int Bed = -1);

/// <summary>
/// The future event list of the discrete-event simulation. Items due at the same instant run in the order they were
/// scheduled: <see cref="PriorityQueue{TElement,TPriority}"/> is not stable, so a sequence number breaks ties and
/// keeps the run deterministic.
/// </summary>
internal sealed class SimulationAgenda
{
    private readonly PriorityQueue<AgendaItem, (long Ticks, long Order)> _items = new();
    private long _order;

    public int Count => _items.Count;

    public void Schedule(DateTimeOffset at, AgendaItem item) => _items.Enqueue(item, (at.UtcTicks, _order++));

    public AgendaItem Next(out DateTimeOffset at)
    {
        _items.TryDequeue(out var item, out var priority);
        at = new DateTimeOffset(priority.Ticks, TimeSpan.Zero);
        return item;
    }
}
