using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.PatientFlow.Hospital;

namespace HealthcareOrleans.Silo.Api;

/// <summary>The live-state HTTP API: every answer comes straight from the grains, never from a cache of them.</summary>
public static class PatientFlowApi
{
    public static IEndpointRouteBuilder MapPatientFlowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/patients/{patientId}", async (string patientId, IGrainFactory grains) =>
            PatientIdProblem(patientId) is { } problem
                ? Results.BadRequest(new { error = problem })
                : await grains.GetGrain<IPatientGrain>(patientId).GetAsync() is { } patient
                    ? Results.Ok(patient)
                    : Results.NotFound(new { error = "No event for this patient has been applied." }));

        api.MapGet("/wards", (HospitalDirectory directory) =>
            Results.Ok(directory.Layout.Hospitals.SelectMany(h => h.Wards.Select(w => new
            {
                hospital_id = h.HospitalId,
                ward_id = w.WardId,
                name = w.Name,
                department = w.Department,
                beds = w.Beds,
            }))));

        api.MapGet("/wards/{wardId}", async (string wardId, HospitalDirectory directory, IGrainFactory grains) =>
            directory.TryGetWard(wardId, out var ward, out _)
                ? Results.Ok(await grains.GetGrain<IWardGrain>(ward.WardId).GetCensusAsync(includeOccupants: true))
                : Results.NotFound(new { error = $"Ward '{wardId}' is not in the hospital layout." }));

        api.MapGet("/census", async (string? hospital, IGrainFactory grains) =>
        {
            var census = await grains.GetGrain<ICensusGrain>(0).GetAsync(hospital);
            return Results.Ok(new
            {
                computed_at = census.ComputedAt,
                beds = census.Beds,
                occupied = census.Occupied,
                waiting = census.Waiting,
                wards = census.Wards,
            });
        });

        api.MapGet("/status", async (IGrainFactory grains) =>
        {
            var status = await grains.GetGrain<IEngineStatusGrain>(0).GetAsync();
            return Results.Ok(new
            {
                events_applied = status.EventsApplied,
                messages_rejected = status.MessagesRejected,
                messages_skipped = status.MessagesSkipped,
                events_per_second = status.EventsPerSecond,
                lag = status.Lag,
                durability = status.Durability,
                silos = status.Silos,
            });
        });

        return app;
    }

    /// <summary>
    /// Why <paramref name="patientId"/> cannot name a patient, or null. The decoder admits no such id, so these are
    /// answered without a grain call (a blank key would make the grain call itself fail).
    /// </summary>
    public static string? PatientIdProblem(string patientId) =>
        string.IsNullOrWhiteSpace(patientId) ? "The patient id is empty or blank."
        : patientId.Length > DecodeLimits.Default.MaxFieldLength ? $"The patient id is longer than {DecodeLimits.Default.MaxFieldLength} characters."
        : IdentifierText.HasForbiddenCharacter(patientId) ? "The patient id contains a control or bidirectional-override character."
        : null;
}
