namespace HealthcareOrleans.Simulation.Model;

/// <summary>
/// The discrete-event simulation of every hospital in the layout: arrivals, assessment, waiting for beds, stays,
/// transfers, discharges and demographic changes, all in simulated time from one seeded <see cref="Random"/>.
/// Waiting emerges from bed availability; nothing here knows about the wall clock or the wire.
/// </summary>
internal sealed class PatientFlowModel
{
    private readonly Random _random;
    private readonly SimulationAgenda _agenda = new();
    private readonly HospitalModel[] _hospitals;
    private readonly IdSource _ids;
    private readonly PatientPopulation _population;
    private readonly EncounterPlanner _planner;
    private readonly LengthOfStayModel _stays;
    private readonly EventStamper _stamper;

    public PatientFlowModel(SimulationOptions options, DateTimeOffset start, string idPrefix)
    {
        _random = new Random(options.Seed);
        _ids = new IdSource(idPrefix);
        _population = new PatientPopulation(_ids, options.ReturningPatientShare);
        _planner = new EncounterPlanner(options.Triage);
        _stays = new LengthOfStayModel(options.MedianStayByDepartment, options.StaySpread);
        _stamper = new EventStamper(_ids);
        _hospitals = options.Layout.Hospitals
            .Select(h => new HospitalModel(h, _stays, options.DailyArrivalsPer100Beds, options.ElectiveShare))
            .ToArray();
        Now = start;
        foreach (var hospital in _hospitals)
        {
            ScheduleArrival(hospital, AgendaWork.EmergencyArrival, hospital.EmergencyArrivals);
            ScheduleArrival(hospital, AgendaWork.ElectiveArrival, hospital.ElectiveArrivals);
        }
    }

    /// <summary>Simulated time of the last item handled.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Handles agenda items until at least one event was produced, appending them to <paramref name="output"/> in order.</summary>
    public void Advance(List<GeneratedEvent> output)
    {
        var before = output.Count;
        while (output.Count == before)
        {
            if (_agenda.Count == 0)
            {
                throw new InvalidOperationException("The simulation has nothing left to do: the layout produces no arrivals.");
            }

            var item = _agenda.Next(out var at);
            Now = at;
            Handle(item, output);
        }
    }

    private void Handle(AgendaItem item, List<GeneratedEvent> output)
    {
        switch (item.Work)
        {
            case AgendaWork.EmergencyArrival:
                ScheduleArrival(item.Hospital, AgendaWork.EmergencyArrival, item.Hospital.EmergencyArrivals);
                ArriveInEmergency(item.Hospital, output);
                break;
            case AgendaWork.ElectiveArrival:
                ScheduleArrival(item.Hospital, AgendaWork.ElectiveArrival, item.Hospital.ElectiveArrivals);
                ArriveForPlannedAdmission(item.Hospital, output);
                break;
            case AgendaWork.Disposition:
                DecideDisposition(item.Encounter!, output);
                break;
            case AgendaWork.StayEnds:
                EndStay(item.Encounter!, output);
                break;
            case AgendaWork.BedReady:
                item.Ward!.MarkClean(item.Bed);
                ServeQueue(item.Hospital, item.Ward.Department, output);
                break;
            case AgendaWork.PayerChange:
            case AgendaWork.AddressMove:
            case AgendaWork.Birthday:
                ChangeDemographics(item.Work, item.Encounter!, output);
                break;
            default:
                throw new InvalidOperationException($"Unhandled agenda item {item.Work}.");
        }
    }

    private void ScheduleArrival(HospitalModel hospital, AgendaWork work, ArrivalProcess process)
    {
        if (process.Next(Now, _random) is { } next)
        {
            _agenda.Schedule(next, new AgendaItem(work, hospital));
        }
    }

    private void ArriveInEmergency(HospitalModel hospital, List<GeneratedEvent> output)
    {
        var patient = _population.Next(hospital, elective: false, Now, _random);
        var (acuity, path) = _planner.PlanEmergency(hospital, patient, Now, _random);
        var encounter = Open(hospital, patient, acuity, elective: false, path);
        _agenda.Schedule(Now + EncounterPlanner.AssessmentTime(acuity, _random), new AgendaItem(AgendaWork.Disposition, hospital, encounter));
        output.Add(ArrivalEvent(encounter));
    }

    private void ArriveForPlannedAdmission(HospitalModel hospital, List<GeneratedEvent> output)
    {
        var patient = _population.Next(hospital, elective: true, Now, _random);
        var path = _planner.PlanElective(hospital, patient, Now, _random);
        var encounter = Open(hospital, patient, acuity: null, elective: true, path);
        _agenda.Schedule(Now + EncounterPlanner.PreAdmissionTime(_random), new AgendaItem(AgendaWork.Disposition, hospital, encounter));
        output.Add(ArrivalEvent(encounter));
    }

    private Encounter Open(HospitalModel hospital, PatientRecord patient, int? acuity, bool elective, IReadOnlyList<string> path)
    {
        var encounter = new Encounter(_ids.NextEncounterId(), patient, hospital, acuity, elective, path, Now);
        patient.OpenEncounter = encounter;
        encounter.PendingWardId = encounter.IsAdmittable
            ? hospital.Beds.PreferredWard(path[0]).WardId
            : hospital.EmergencyWard!.WardId;
        return encounter;
    }

    private GeneratedEvent ArrivalEvent(Encounter encounter)
    {
        var department = encounter.IsAdmittable ? encounter.Path[0] : encounter.Hospital.EmergencyWard!.Department;
        return _stamper.Arrival(encounter, department, encounter.PendingWardId!, Now);
    }

    private void DecideDisposition(Encounter encounter, List<GeneratedEvent> output)
    {
        if (!encounter.IsAdmittable)
        {
            // Treated in the emergency department and sent home: a discharge without an admission.
            output.Add(_stamper.Discharge(encounter, encounter.Hospital.EmergencyWard!, -1, Now));
            Close(encounter);
            return;
        }

        RequestBed(encounter, BedRequestClass.Admission, output);
    }

    private void RequestBed(Encounter encounter, BedRequestClass requestClass, List<GeneratedEvent> output)
    {
        var department = encounter.CurrentDepartment!;
        encounter.Hospital.QueueFor(department).Enqueue(encounter, requestClass, Now);
        ServeQueue(encounter.Hospital, department, output);
    }

    private void ServeQueue(HospitalModel hospital, string department, List<GeneratedEvent> output)
    {
        var queue = hospital.QueueFor(department);
        while (queue.Count > 0 && hospital.Beds.HasFreeBed(department))
        {
            var encounter = queue.Dequeue();
            var ward = hospital.Beds.WardWithFreeBed(department, encounter.PendingWardId)!;
            Place(encounter, ward, output);
        }
    }

    private void Place(Encounter encounter, WardBeds ward, List<GeneratedEvent> output)
    {
        var from = encounter.Ward;
        var fromBed = encounter.Bed;
        encounter.Ward = ward;
        encounter.Bed = ward.Occupy(encounter);
        encounter.PendingWardId = null;
        var stay = _stays.Sample(ward.Department, _random);
        _agenda.Schedule(Now + stay, new AgendaItem(AgendaWork.StayEnds, encounter.Hospital, encounter));
        if (from is null)
        {
            encounter.AdmittedAt = Now;
            encounter.AdmittedDepartment = ward.Department;
            encounter.AdmittedBedId = ward.BedId(encounter.Bed);
            output.Add(_stamper.Admit(encounter, Now));
            ScheduleDemographicChanges(encounter, stay);
        }
        else
        {
            output.Add(_stamper.Transfer(encounter, from, Now));
            Vacate(from, fromBed);
        }
    }

    private void EndStay(Encounter encounter, List<GeneratedEvent> output)
    {
        var leaving = encounter.CurrentDepartment!;
        encounter.StayIndex++;
        if (encounter.StayIndex < encounter.Path.Count)
        {
            // The patient keeps their bed until one is free in the next department: a blocked bed, as in real wards.
            encounter.PendingWardId = encounter.Hospital.Beds.PreferredWard(encounter.CurrentDepartment!).WardId;
            var requestClass = DepartmentRoles.Of(leaving) == DepartmentRole.CriticalCare
                ? BedRequestClass.CriticalCareStepDown
                : BedRequestClass.Transfer;
            RequestBed(encounter, requestClass, output);
            return;
        }

        var ward = encounter.Ward!;
        output.Add(_stamper.Discharge(encounter, ward, encounter.Bed, Now));
        Vacate(ward, encounter.Bed);
        Close(encounter);
    }

    private void Vacate(WardBeds ward, int bed)
    {
        ward.Vacate(bed);
        _agenda.Schedule(Now + BedBoard.Turnaround, new AgendaItem(AgendaWork.BedReady, ward.Hospital, Ward: ward, Bed: bed));
    }

    private void Close(Encounter encounter)
    {
        encounter.Closed = true;
        encounter.Patient.OpenEncounter = null;
        encounter.Patient.LastDischargedAt = Now;
        _population.Remember(encounter.Hospital, encounter.Patient, _random);
    }

    /// <summary>
    /// Changes during a stay that a registration clerk would record: a new payer, a new address, a birthday that moves
    /// the patient into another age band. Drawn for the first stay; skipped if the encounter has closed by then.
    /// </summary>
    private void ScheduleDemographicChanges(Encounter encounter, TimeSpan firstStay)
    {
        if (_random.Chance(0.03))
        {
            _agenda.Schedule(Now + _random.Uniform(TimeSpan.FromMinutes(1), firstStay), new AgendaItem(AgendaWork.PayerChange, encounter.Hospital, encounter));
        }

        if (_random.Chance(0.04))
        {
            _agenda.Schedule(Now + _random.Uniform(TimeSpan.FromMinutes(1), firstStay), new AgendaItem(AgendaWork.AddressMove, encounter.Hospital, encounter));
        }

        var birthday = encounter.Patient.NextBirthdayAfter(Now);
        if (birthday - Now < firstStay && AgeBands.StartsBand(encounter.Patient.AgeAt(birthday)))
        {
            _agenda.Schedule(birthday, new AgendaItem(AgendaWork.Birthday, encounter.Hospital, encounter));
        }
    }

    private void ChangeDemographics(AgendaWork change, Encounter encounter, List<GeneratedEvent> output)
    {
        if (encounter.Closed)
        {
            return;
        }

        var patient = encounter.Patient;
        if (change == AgendaWork.PayerChange)
        {
            patient.Payer = PatientPopulation.OtherPayer(patient.Payer, _random);
        }
        else if (change == AgendaWork.AddressMove)
        {
            patient.PostalCode = PatientPopulation.NewPostalCode(encounter.Hospital, _random);
        }

        output.Add(_stamper.Update(encounter, Now));
    }
}
