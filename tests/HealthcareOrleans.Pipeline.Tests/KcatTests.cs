using System.Diagnostics;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Pipeline.Tests.Support;

namespace HealthcareOrleans.Pipeline.Tests;

/// <summary>Messages from Debian's kcat, a Kafka client outside the process, as an operator would send them.</summary>
[Collection(PipelineCollection.Name)]
public sealed class KcatTests
{
    [Fact]
    public async Task Keyed_and_unkeyed_events_from_kcat_land_in_patient_state_and_malformed_ones_are_counted_as_rejected()
    {
        await using var pipeline = await PipelineCluster.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var arrival = Event("kcat-1", "ARRIVAL", now.AddMinutes(-30), "KCAT-P1", "\"ward_id\":\"RGH-AMU\",\"encounter_id\":\"E-K1\",\"acuity\":3");
        var admit = Event("kcat-2", "ADMIT", now.AddMinutes(-10), "KCAT-P1", "\"ward_id\":\"rgh-amu\",\"bed_id\":\"b-01\",\"encounter_id\":\"E-K1\"");

        await KcatProduceAsync(pipeline, keyed: true, $"KCAT-P1\t{arrival}", "KCAT-P1\tthis is not json {", $"KCAT-P1\t{admit}");
        await KcatProduceAsync(pipeline, keyed: false, Event("kcat-3", "ADMIT", now.AddMinutes(-5), "KCAT-P2", "\"ward_id\":\"RGH-CAR\",\"bed_id\":\"C-02\""), "[1,2,3]");

        await Eventually.TrueAsync(async () =>
            {
                var p1 = await pipeline.Grains.GetGrain<IPatientGrain>("KCAT-P1").GetAsync();
                var p2 = await pipeline.Grains.GetGrain<IPatientGrain>("KCAT-P2").GetAsync();
                return p1 is { Status: PatientStatus.Admitted } && p2 is { Status: PatientStatus.Admitted };
            }, TimeSpan.FromSeconds(30),
            async () => $"KCAT-P1 is {(await pipeline.Grains.GetGrain<IPatientGrain>("KCAT-P1").GetAsync())?.Status}, KCAT-P2 is {(await pipeline.Grains.GetGrain<IPatientGrain>("KCAT-P2").GetAsync())?.Status}");

        var patient = await pipeline.Grains.GetGrain<IPatientGrain>("KCAT-P1").GetAsync();
        Assert.Equal("RGH-AMU", patient!.WardId);
        Assert.Equal("B-01", patient.BedId);
        Assert.Equal(2, patient.EventsApplied);
        Assert.Equal(1, patient.EventsRejected);
        Assert.Equal("RGH-CAR", (await pipeline.Grains.GetGrain<IPatientGrain>("KCAT-P2").GetAsync())!.WardId);

        await Eventually.TrueAsync(async () => (await pipeline.Grains.GetGrain<IEngineStatusGrain>(0).GetAsync()).MessagesRejected == 2,
            TimeSpan.FromSeconds(10), async () => $"{(await pipeline.Grains.GetGrain<IEngineStatusGrain>(0).GetAsync()).MessagesRejected} rejections reported");
        var status = await pipeline.Grains.GetGrain<IEngineStatusGrain>(0).GetAsync();
        var reasons = status.Silos.SelectMany(s => s.RejectionsByReason).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        Assert.Equal(1, reasons["malformed_json"]);
        Assert.Equal(1, reasons["not_an_object"]);
    }

    private static string Event(string id, string type, DateTimeOffset at, string patientId, string extra) =>
        $"{{\"event_id\":\"{id}\",\"event_type\":\"{type}\",\"occurred_at\":\"{at:yyyy-MM-dd'T'HH:mm:ss'Z'}\",\"hospital_id\":\"RGH\",\"patient_id\":\"{patientId}\",{extra},\"schema_version\":1}}";

    private static async Task KcatProduceAsync(PipelineCluster pipeline, bool keyed, params string[] lines)
    {
        var arguments = new List<string> { "-b", pipeline.Broker.BootstrapServers, "-t", pipeline.Topic, "-P" };
        if (keyed)
        {
            arguments.AddRange(["-K", "\t"]);
        }

        var start = new ProcessStartInfo("kcat") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("kcat is not installed: run `apt-get install -y kcat` (tests/run.sh does).");
            return;
        }

        using (process)
        {
            foreach (var line in lines)
            {
                await process.StandardInput.WriteLineAsync(line);
            }

            process.StandardInput.Close();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"kcat failed: {errors}");
        }
    }
}
