using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Simulation.Faults;

namespace HealthcareOrleans.Simulation.Running;

/// <summary>
/// Counts delivered messages into a <see cref="SimulationRun"/>. Thread-safe, because a Kafka producer reports
/// deliveries on its own thread while the caller reads the totals.
/// </summary>
public sealed class SimulationTally
{
    private readonly Lock _gate = new();
    private readonly long[] _byType = new long[Enum.GetValues<PatientFlowEventType>().Length];
    private readonly long[] _byFault = new long[FaultKinds.All.Count];
    private long _messages;
    private DateTimeOffset? _simulatedUntil;

    public long Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages;
            }
        }
    }

    public void Record(SimulatedMessage message)
    {
        lock (_gate)
        {
            _messages++;
            if (message.Event is { } evt)
            {
                _byType[(int)evt.EventType]++;
            }

            if (message.Fault is { } fault)
            {
                _byFault[(int)fault]++;
            }

            if (_simulatedUntil is null || message.SimulatedAt > _simulatedUntil)
            {
                _simulatedUntil = message.SimulatedAt;
            }
        }
    }

    public SimulationRun ToRun(TimeSpan elapsed, bool cancelled)
    {
        lock (_gate)
        {
            var byType = new SortedDictionary<PatientFlowEventType, long>();
            foreach (var type in Enum.GetValues<PatientFlowEventType>())
            {
                byType[type] = _byType[(int)type];
            }

            return new SimulationRun(_messages, byType, FaultInjectionCounts.From(_byFault), elapsed, _simulatedUntil, cancelled);
        }
    }
}
