namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// The share of emergency arrivals at each triage acuity (1 = resuscitation … 5 = non-urgent, as in the Emergency
/// Severity Index and the Manchester scale). The default follows typical ED case mixes: few acuity-1 patients, most at 3.
/// </summary>
public sealed class TriageMix
{
    private readonly double[] _weights;

    /// <param name="weights">Five non-negative weights for acuity 1 to 5; they need not add up to 1.</param>
    public TriageMix(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != 5 || weights.Any(w => double.IsNaN(w) || double.IsInfinity(w) || w < 0) || weights.Sum() <= 0)
        {
            throw new ArgumentException("A triage mix needs five non-negative weights (acuity 1 to 5) with a positive sum.", nameof(weights));
        }

        var total = weights.Sum();
        _weights = weights.Select(w => w / total).ToArray();
    }

    public static TriageMix Default { get; } = new([0.02, 0.15, 0.45, 0.28, 0.10]);

    /// <summary>The share of acuity 1–5, summing to 1.</summary>
    public double ShareOf(int acuity) => acuity is >= 1 and <= 5
        ? _weights[acuity - 1]
        : throw new ArgumentOutOfRangeException(nameof(acuity), acuity, "Acuity runs from 1 to 5.");

    internal int Sample(Random random) => random.PickWeighted(_weights) + 1;
}
