using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Medallion.Gold;

/// <summary>The current Gold rows of some patients.</summary>
public interface IGoldRowSource
{
    Task<IReadOnlyList<PatientGoldRows>> GetAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken);
}
