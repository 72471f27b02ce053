namespace HealthcareOrleans.Contracts.Events;

/// <summary>What happened to a patient. Wire names are the upper-case snake_case of these members.</summary>
public enum PatientFlowEventType
{
    /// <summary>The patient presented (emergency department or pre-admission); they wait for a bed.</summary>
    Arrival,
    /// <summary>Admitted into a ward bed.</summary>
    Admit,
    /// <summary>Moved from one ward to another.</summary>
    Transfer,
    /// <summary>Left the hospital; the encounter is closed.</summary>
    Discharge,
    /// <summary>Demographics or bed changed without a movement.</summary>
    Update,
    /// <summary>The admission was entered in error (HL7 A11); the patient is back to waiting.</summary>
    CancelAdmit,
    /// <summary>The transfer was entered in error (HL7 A12); the patient is back in the previous ward.</summary>
    CancelTransfer,
    /// <summary>The discharge was entered in error (HL7 A13); the patient is back in the ward.</summary>
    CancelDischarge,
}

public static class PatientFlowEventTypes
{
    private static readonly string[] WireNames =
        ["ARRIVAL", "ADMIT", "TRANSFER", "DISCHARGE", "UPDATE", "CANCEL_ADMIT", "CANCEL_TRANSFER", "CANCEL_DISCHARGE"];

    public static string ToWireName(this PatientFlowEventType type) => WireNames[(int)type];

    /// <summary>Case-insensitive, surrounding white space ignored: producers differ in how they spell codes.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PatientFlowEventType type)
    {
        var trimmed = text.Trim();
        for (var i = 0; i < WireNames.Length; i++)
        {
            if (trimmed.Equals(WireNames[i], StringComparison.OrdinalIgnoreCase))
            {
                type = (PatientFlowEventType)i;
                return true;
            }
        }

        type = default;
        return false;
    }
}
