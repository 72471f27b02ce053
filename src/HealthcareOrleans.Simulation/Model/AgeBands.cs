namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// Age bands used in reporting (children, young adults, working age, retirement, elderly). A birthday during a stay
/// that starts a new band is worth an UPDATE: it changes the patient's dimension row.
/// </summary>
internal static class AgeBands
{
    private static ReadOnlySpan<int> LowerBounds => [16, 18, 30, 45, 65, 75, 85];

    public static bool StartsBand(int age) => LowerBounds.Contains(age);
}
