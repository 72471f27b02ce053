using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.Simulation.Tests.Support;

/// <summary>
/// Replays an event stream against a layout as the engine would, collecting every rule it breaks (order of an
/// encounter's events, bed capacity, one patient per bed) and the waits and ward stays it observes.
/// </summary>
internal sealed class HospitalReplay
{
    private readonly Dictionary<string, WardDefinition> _wards;
    private readonly Dictionary<string, int> _occupancy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bedHolder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EncounterTrace> _encounters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _peaks = new(StringComparer.Ordinal);

    public HospitalReplay(HospitalLayout layout, IEnumerable<PatientFlowEvent> events)
    {
        _wards = layout.Wards.ToDictionary(w => w.WardId, StringComparer.Ordinal);
        foreach (var evt in events)
        {
            Apply(evt);
        }
    }

    public List<string> Violations { get; } = [];

    /// <summary>Arrival to admission, with the acuity (null for planned admissions).</summary>
    public List<(TimeSpan Wait, int? Acuity)> Waits { get; } = [];

    /// <summary>Completed ward stays by department.</summary>
    public List<(string Department, TimeSpan Stay)> Stays { get; } = [];

    public int PeakOccupancy(string wardId) => _peaks.GetValueOrDefault(wardId);

    private void Apply(PatientFlowEvent evt)
    {
        var id = evt.EncounterId!;
        _encounters.TryGetValue(id, out var trace);
        switch (evt.EventType)
        {
            case PatientFlowEventType.Arrival:
                Expect(trace is null, evt, "ARRIVAL of an encounter already seen");
                _encounters[id] = new EncounterTrace(evt.PatientId, evt.OccurredAt, evt.Acuity);
                break;
            case PatientFlowEventType.Admit:
                if (Expect(trace is { Ward: null, Discharged: false, Admitted: false }, evt, "ADMIT without a waiting ARRIVAL"))
                {
                    trace!.Admitted = true;
                    Waits.Add((evt.OccurredAt - trace.ArrivedAt, trace.Acuity));
                    Enter(trace, evt);
                }

                break;
            case PatientFlowEventType.Transfer:
                if (Expect(trace is { Ward: not null, Discharged: false } && trace.Ward == evt.FromWardId, evt, "TRANSFER not from the current ward"))
                {
                    Leave(trace!, evt);
                    Enter(trace!, evt);
                }

                break;
            case PatientFlowEventType.Discharge:
                if (Expect(trace is { Discharged: false }, evt, "DISCHARGE of an unknown or closed encounter"))
                {
                    Expect(trace!.Admitted == (evt.BedId is not null), evt, "bed on DISCHARGE does not match admission");
                    if (trace.Ward is not null)
                    {
                        Expect(trace.Ward == evt.WardId, evt, "DISCHARGE from another ward than the current one");
                        Leave(trace, evt);
                    }

                    trace.Discharged = true;
                }

                break;
            case PatientFlowEventType.Update:
                Expect(trace is { Discharged: false }, evt, "UPDATE outside an open encounter");
                break;
            default:
                Violations.Add($"{evt.EventId}: unexpected {evt.EventType}");
                break;
        }

        if (trace is not null)
        {
            Expect(evt.OccurredAt >= trace.LastAt, evt, "event earlier than the encounter's previous event");
            Expect(trace.PatientId == evt.PatientId, evt, "encounter changed patient");
            trace.LastAt = evt.OccurredAt;
        }
    }

    private void Enter(EncounterTrace trace, PatientFlowEvent evt)
    {
        var ward = evt.WardId!;
        var bed = evt.BedId!;
        if (!Expect(_wards.TryGetValue(ward, out var definition), evt, $"ward {ward} not in the layout"))
        {
            return;
        }

        Expect(bed.StartsWith(ward + "-B", StringComparison.Ordinal), evt, $"bed {bed} does not belong to ward {ward}");
        Expect(definition!.Department == evt.Department, evt, "department differs from the ward's");
        Expect(_bedHolder.TryAdd(bed, trace.PatientId), evt, $"bed {bed} already holds {_bedHolder.GetValueOrDefault(bed)}");
        var occupancy = _occupancy[ward] = _occupancy.GetValueOrDefault(ward) + 1;
        _peaks[ward] = Math.Max(_peaks.GetValueOrDefault(ward), occupancy);
        Expect(occupancy <= definition.Beds, evt, $"ward {ward} holds {occupancy} patients in {definition.Beds} beds");
        trace.Ward = ward;
        trace.Bed = bed;
        trace.EnteredAt = evt.OccurredAt;
    }

    private void Leave(EncounterTrace trace, PatientFlowEvent evt)
    {
        _occupancy[trace.Ward!]--;
        _bedHolder.Remove(trace.Bed!);
        Stays.Add((_wards[trace.Ward!].Department, evt.OccurredAt - trace.EnteredAt));
        trace.Ward = null;
        trace.Bed = null;
    }

    private bool Expect(bool condition, PatientFlowEvent evt, string rule)
    {
        if (!condition)
        {
            Violations.Add($"{evt.EventId} {evt.EventType} {evt.EncounterId}: {rule}");
        }

        return condition;
    }

    private sealed class EncounterTrace(string patientId, DateTimeOffset arrivedAt, int? acuity)
    {
        public string PatientId { get; } = patientId;
        public DateTimeOffset ArrivedAt { get; } = arrivedAt;
        public int? Acuity { get; } = acuity;
        public DateTimeOffset LastAt { get; set; } = arrivedAt;
        public bool Admitted { get; set; }
        public bool Discharged { get; set; }
        public string? Ward { get; set; }
        public string? Bed { get; set; }
        public DateTimeOffset EnteredAt { get; set; }
    }
}
