using System.Text;
using HealthcareOrleans.PatientFlow.Silver;

namespace HealthcareOrleans.Grains.Tests.Support;

/// <summary>Everything a projection holds, as text: two projections are the same when their snapshots are.</summary>
internal static class Snapshot
{
    public static string Of(PatientProjection p)
    {
        var text = new StringBuilder()
            .AppendLine($"status={p.Status} encounter={p.EncounterId} hospital={p.HospitalId} ward={p.WardId} bed={p.BedId}")
            .AppendLine($"department={p.Department} acuity={p.Acuity} pending={p.PendingWardId}")
            .AppendLine($"arrived={p.ArrivedAt:O} admitted={p.AdmittedAt:O} discharged={p.DischargedAt:O} last={p.LastEventAt:O}")
            .AppendLine($"placement={p.Placement}");
        foreach (var stay in p.Journey)
        {
            text.AppendLine($"stay {stay}");
        }

        foreach (var fact in p.Facts)
        {
            text.AppendLine($"fact {fact}");
        }

        foreach (var anomaly in p.Anomalies)
        {
            text.AppendLine($"anomaly {anomaly}");
        }

        foreach (var version in p.Attributes.Versions)
        {
            text.AppendLine($"version {version}");
        }

        return text.ToString();
    }
}
