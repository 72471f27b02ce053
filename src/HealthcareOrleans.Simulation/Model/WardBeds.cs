using System.Globalization;
using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.Simulation.Model;

/// <summary>The beds of one ward. A bed is free, occupied by one encounter, or being cleaned after a discharge or transfer.</summary>
internal sealed class WardBeds
{
    private readonly Encounter?[] _occupants;
    private readonly bool[] _cleaning;
    private readonly string[] _bedIds;

    public WardBeds(WardDefinition definition, HospitalModel hospital)
    {
        Definition = definition;
        Hospital = hospital;
        _occupants = new Encounter?[definition.Beds];
        _cleaning = new bool[definition.Beds];
        _bedIds = Enumerable.Range(1, definition.Beds)
            .Select(n => string.Create(CultureInfo.InvariantCulture, $"{definition.WardId}-B{n:00}"))
            .ToArray();
        FreeBeds = definition.Beds;
    }

    public WardDefinition Definition { get; }

    public HospitalModel Hospital { get; }

    public string WardId => Definition.WardId;

    public string Department => Definition.Department;

    public int FreeBeds { get; private set; }

    public string BedId(int bed) => _bedIds[bed];

    /// <summary>Takes the lowest-numbered free bed; the caller checked <see cref="FreeBeds"/>.</summary>
    public int Occupy(Encounter encounter)
    {
        for (var bed = 0; bed < _occupants.Length; bed++)
        {
            if (_occupants[bed] is null && !_cleaning[bed])
            {
                _occupants[bed] = encounter;
                FreeBeds--;
                return bed;
            }
        }

        throw new InvalidOperationException($"Ward {WardId} has no free bed; check FreeBeds before occupying.");
    }

    /// <summary>The patient left; the bed is cleaned before the next one (see <see cref="BedBoard.Turnaround"/>).</summary>
    public void Vacate(int bed)
    {
        _occupants[bed] = null;
        _cleaning[bed] = true;
    }

    public void MarkClean(int bed)
    {
        _cleaning[bed] = false;
        FreeBeds++;
    }
}
