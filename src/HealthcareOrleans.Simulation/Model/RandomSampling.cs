namespace HealthcareOrleans.Simulation.Model;

/// <summary>The distributions the model draws from, all over one caller-owned <see cref="Random"/> so a seed fixes every draw.</summary>
internal static class RandomSampling
{
    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>Waiting time of a Poisson process with <paramref name="ratePerUnit"/> events per unit.</summary>
    public static double Exponential(this Random random, double ratePerUnit) => -Math.Log(1.0 - random.NextDouble()) / ratePerUnit;

    /// <summary>Box–Muller, one value per call: simpler than caching the twin and the cost is irrelevant here.</summary>
    public static double StandardNormal(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal duration: its median is <paramref name="median"/> and σ of its logarithm is <paramref name="sigma"/>.</summary>
    public static TimeSpan LogNormal(this Random random, TimeSpan median, double sigma, TimeSpan min, TimeSpan max)
    {
        var seconds = median.TotalSeconds * Math.Exp(sigma * random.StandardNormal());
        return WholeSeconds(Math.Clamp(seconds, min.TotalSeconds, max.TotalSeconds));
    }

    public static TimeSpan Uniform(this Random random, TimeSpan min, TimeSpan max) =>
        WholeSeconds(min.TotalSeconds + (random.NextDouble() * (max - min).TotalSeconds));

    /// <summary>Index drawn with probability proportional to its weight; -1 when every weight is 0.</summary>
    public static int PickWeighted(this Random random, ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
        }

        if (total <= 0)
        {
            return -1;
        }

        var target = random.NextDouble() * total;
        var last = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return last;
    }

    /// <summary>Simulated times are whole seconds so they survive the wire format (milliseconds) unchanged.</summary>
    public static TimeSpan WholeSeconds(double seconds) => TimeSpan.FromSeconds(Math.Max(1, Math.Round(seconds)));
}
