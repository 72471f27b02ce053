using HealthcareOrleans.Contracts.Fhir;

namespace HealthcareOrleans.Silo.Fhir;

/// <summary>
/// <c>POST /fhir/r4/Encounter</c> (one Encounter) and <c>POST /fhir/r4</c> (a transaction, batch or collection
/// Bundle), <c>application/fhir+json</c>, behind the same API key as <c>/api</c>. Every answer is an OperationOutcome.
/// </summary>
public static class FhirEndpoints
{
    public const string MediaType = "application/fhir+json";

    /// <summary>A Bundle of a few hundred Encounters; each patient's share must still fit one topic message.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapFhirIntake(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir/r4");
        fhir.MapPost("/Encounter", (HttpRequest request, FhirIntake intake, CancellationToken ct) => AcceptAsync(request, intake, FhirIntake.Expected.Encounter, ct));
        fhir.MapPost("", (HttpRequest request, FhirIntake intake, CancellationToken ct) => AcceptAsync(request, intake, FhirIntake.Expected.Bundle, ct));
        return app;
    }

    public static IServiceCollection AddFhirIntake(this IServiceCollection services)
    {
        services.AddSingleton<FhirIntake>();
        return services;
    }

    private static async Task<IResult> AcceptAsync(HttpRequest request, FhirIntake intake, FhirIntake.Expected expected, CancellationToken ct)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not (MediaType or "application/json"))
        {
            return Answer(new FhirIntakeAnswer(StatusCodes.Status415UnsupportedMediaType,
                FhirOutcomes.Refusal("unsupported_media_type", $"send the resource as {MediaType} (got '{request.ContentType}')", null)));
        }

        if (await ReadBodyAsync(request, ct) is not { } body)
        {
            return Answer(new FhirIntakeAnswer(StatusCodes.Status413PayloadTooLarge,
                FhirOutcomes.Refusal("oversize", $"the body is larger than {MaxBodyBytes} bytes; send smaller Bundles", null)));
        }

        return Answer(await intake.AcceptAsync(body, expected, ct));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult Answer(FhirIntakeAnswer answer) =>
        Results.Text(FhirOutcomes.ToJson(answer.Outcome), MediaType, System.Text.Encoding.UTF8, answer.Status);
}
