namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Grain activations resident in the silo, from Orleans' <c>orleans-catalog-activations</c> gauge (meter
/// "Microsoft.Orleans", one series per grain type), which the silo's Prometheus <c>/metrics</c> exports.
/// </summary>
internal sealed record ResidentActivations(long Patients, long All)
{
    private const string Metric = "orleans_catalog_activations{";
    private const string PatientSeries = "grain_type=\"patient\"";

    public static ResidentActivations? Parse(string prometheusText)
    {
        long patients = 0, all = 0;
        var found = false;
        foreach (var line in prometheusText.Split('\n'))
        {
            if (!line.StartsWith(Metric, StringComparison.Ordinal))
            {
                continue;
            }

            var value = PrometheusLine.Value(line);
            all += value;
            patients += line.Contains(PatientSeries, StringComparison.Ordinal) ? value : 0;
            found = true;
        }

        return found ? new ResidentActivations(patients, all) : null;
    }
}
