using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.PatientFlow.Gold;

namespace HealthcareOrleans.Grains.Gold;

/// <summary>Asks the patient grains for their rows, a bounded number at a time so a large flush does not flood the silos.</summary>
public sealed class PatientGrainGoldRowSource(IGrainFactory grains) : IGoldRowSource
{
    private const int Concurrency = 64;

    public async Task<IReadOnlyList<PatientGoldRows>> GetAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken)
    {
        var ids = patientIds.ToArray();
        var rows = new PatientGoldRows[ids.Length];
        await Parallel.ForAsync(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            rows[i] = await grains.GetGrain<IPatientGoldSource>(ids[i]).GetGoldRowsAsync().WaitAsync(ct));
        return rows;
    }
}
