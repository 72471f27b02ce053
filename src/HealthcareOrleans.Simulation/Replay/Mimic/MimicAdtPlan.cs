namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>One ADT message the replay sends, at the original (unshifted) MIMIC time.</summary>
/// <param name="PatientClass">PV1-2: E for the emergency department, I once admitted.</param>
/// <param name="WardId">PV1-3.1, the unit the patient is in (for A03: the unit they leave).</param>
/// <param name="PriorWardId">PV1-6, the unit they leave on a transfer.</param>
public sealed record MimicAdtMessage(
    string Trigger, DateTime At, long SubjectId, string VisitNumber, char PatientClass, string WardId, string? PriorWardId, string ControlId);

/// <summary>
/// transfers.csv rows as ADT messages in event-time order: ED arrival → A04, admit → A01, transfer → A02,
/// discharge → A03, and an ED visit that ends without admission → A03 from the ED at its outtime.
/// </summary>
public static class MimicAdtPlan
{
    public static IReadOnlyList<MimicAdtMessage> Messages(IReadOnlyList<MimicTransfer> transfers)
    {
        var messages = new List<(MimicAdtMessage Message, int Sequence)>();
        foreach (var visit in transfers.GroupBy(VisitNumberOf, StringComparer.Ordinal))
        {
            string? previousWard = null;
            var admitted = false;
            var sequence = 0;
            foreach (var row in visit.OrderBy(r => r.InTime).ThenBy(r => Rank(r.EventType)).ThenBy(r => r.TransferId))
            {
                var ward = row.CareUnit is null ? null : MimicCareUnits.WardIdOf(row.CareUnit);
                switch (row.EventType)
                {
                    case "ED" when ward is not null:
                        messages.Add((new MimicAdtMessage("A04", row.InTime, row.SubjectId, visit.Key, 'E', ward, null, $"{row.TransferId}-A04"), sequence++));
                        if (row.HadmId is null && row.OutTime is { } left)
                        {
                            messages.Add((new MimicAdtMessage("A03", left, row.SubjectId, visit.Key, 'E', ward, null, $"{row.TransferId}-A03"), sequence++));
                        }

                        previousWard = ward;
                        break;
                    case "admit" or "transfer" when ward is not null:
                        // The first unit of an admission is its admit, whatever the row calls it: the engine opens the stay there.
                        var trigger = admitted ? "A02" : "A01";
                        messages.Add((new MimicAdtMessage(trigger, row.InTime, row.SubjectId, visit.Key, 'I', ward, admitted ? previousWard : null, $"{row.TransferId}-{trigger}"), sequence++));
                        admitted = true;
                        previousWard = ward;
                        break;
                    case "discharge" when previousWard is not null:
                        messages.Add((new MimicAdtMessage("A03", row.InTime, row.SubjectId, visit.Key, admitted ? 'I' : 'E', previousWard, null, $"{row.TransferId}-A03"), sequence++));
                        break;
                    default:
                        throw new InvalidDataException(
                            $"transfers row {row.TransferId} (eventtype '{row.EventType}', careunit '{row.CareUnit}') cannot be placed in visit {visit.Key}.");
                }
            }
        }

        return messages
            .OrderBy(m => m.Message.At).ThenBy(m => m.Message.SubjectId).ThenBy(m => m.Message.VisitNumber, StringComparer.Ordinal).ThenBy(m => m.Sequence)
            .Select(m => m.Message)
            .ToList();
    }

    /// <summary>The admission (hadm_id) or, for an emergency visit without one, the ED stay's transfer id.</summary>
    public static string VisitNumberOf(MimicTransfer row) =>
        row.HadmId is { } hadm ? hadm.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"ED{row.TransferId}";

    private static int Rank(string eventType) => eventType switch
    {
        "ED" => 0,
        "admit" => 1,
        "transfer" => 2,
        _ => 3,
    };
}
