namespace HealthcareOrleans.Lake; internal static class Placeholder { }
