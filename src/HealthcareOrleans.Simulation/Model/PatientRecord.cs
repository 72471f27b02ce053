using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>One person the hospital knows. Demographics are stable between the changes the simulation makes on purpose.</summary>
internal sealed class PatientRecord(string patientId, string gender, DateOnly birthDate, string postalCode, string payer)
{
    public string PatientId { get; } = patientId;

    public string Gender { get; } = gender;

    public DateOnly BirthDate { get; } = birthDate;

    public string PostalCode { get; set; } = postalCode;

    public string Payer { get; set; } = payer;

    /// <summary>Set while an encounter is open: a patient is in at most one encounter at a time.</summary>
    public Encounter? OpenEncounter { get; set; }

    public DateTimeOffset? LastDischargedAt { get; set; }

    public int AgeAt(DateTimeOffset at)
    {
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        var age = today.Year - BirthDate.Year;
        return BirthDate > today.AddYears(-age) ? age - 1 : age;
    }

    /// <summary>The next birthday strictly after <paramref name="after"/>, at midnight UTC (29 February falls on 28 February).</summary>
    public DateTimeOffset NextBirthdayAfter(DateTimeOffset after)
    {
        var day = DateOnly.FromDateTime(after.UtcDateTime);
        for (var year = day.Year; ; year++)
        {
            var birthday = new DateOnly(year, BirthDate.Month, Math.Min(BirthDate.Day, DateTime.DaysInMonth(year, BirthDate.Month)));
            var at = new DateTimeOffset(birthday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (at > after)
            {
                return at;
            }
        }
    }

    public PatientDemographics DemographicsAt(DateTimeOffset at) => new(Gender, BirthDate, AgeAt(at), PostalCode, Payer);
}
