namespace HealthcareOrleans.PatientFlow.Patients;

public sealed class PatientGrainOptions
{
    public const string Section = "Patients";

    /// <summary>
    /// How long a changed state may wait before it is written. State is written in the background, never once per
    /// event; what a crash loses inside this window is replayed from the stream and deduplicated by event_id.
    /// </summary>
    public TimeSpan StateWriteDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a ward asks each occupant whether it is still there. A ward can hold a patient who left when that
    /// patient's grain died with a silo before saving and its events came back in another order; the question heals it.
    /// </summary>
    public TimeSpan WardOccupantCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events held per patient before the oldest closed encounters are folded into the baseline.</summary>
    public int MaxRetainedEvents { get; set; } = 64;

    /// <summary>Event ids of compacted events remembered to recognise replays of them.</summary>
    public int MaxRememberedEventIds { get; set; } = 128;
}
