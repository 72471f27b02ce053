using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Testing;
using StackExchange.Redis;

namespace HealthcareOrleans.Cluster.Tests.Support;

/// <summary>What a cluster run must have left, checked against the reference replay, Bronze and the storage account.</summary>
public sealed partial class LocalSiloCluster
{
    /// <summary>Every produced (partition, offset) is in Bronze exactly once, and nothing else is.</summary>
    public async Task AssertBronzeExactlyOnceAsync(IReadOnlyList<BrokerRecord> records)
    {
        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Broker.BootstrapServers, GroupId = "cluster-test-watermarks" }).Build();
        var end = Enumerable.Range(0, Partitions)
            .Select(p => watermarks.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(5)))
            .ToList();
        Assert.All(end, w => Assert.Equal(0, w.Low.Value)); // nothing fell out of the mock broker's retention
        var brokerEnd = end.Sum(w => w.High.Value);
        Assert.Equal(records.Count, brokerEnd);

        List<(int Partition, long Offset)> bronze = [];
        await Eventually.TrueAsync(async () => (bronze = await BronzeOffsetsAsync()).Count >= records.Count, TimeSpan.FromSeconds(90),
            async () => $"{(await BronzeOffsetsAsync()).Count} of {records.Count} in Bronze; status {(await StatusAsync(Running))?.Raw}");
        var duplicates = bronze.GroupBy(o => o).Count(g => g.Count() > 1);
        var missing = records.Select(r => (r.Partition, r.Offset)).Except(bronze).Count();
        var unknown = bronze.Except(records.Select(r => (r.Partition, r.Offset))).Count();
        Progress($"Bronze: {bronze.Count} rows for {records.Count} produced (broker end offsets sum {brokerEnd}); lost {missing}, duplicated {duplicates}, unknown {unknown}");
        Assert.Equal(0, missing);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, unknown);
        Assert.Equal(brokerEnd, bronze.Count);
    }

    /// <summary>
    /// Every ward's occupants (which patient, in which bed, present or waiting) and occupied/waiting counts equal what a
    /// single thread applying the same records gets: each in-hospital patient's live placement, and each ward's census.
    /// </summary>
    public async Task AssertCensusEqualsReferenceAsync(IReadOnlyList<BrokerRecord> records)
    {
        var reference = ReferencePipeline.Replay(records);
        var wards = HospitalLayout.Default.Hospitals.SelectMany(h => h.Wards.Select(w => (Ward: w, h.HospitalId))).ToList();
        var expected = wards.ToDictionary(
            w => w.Ward.WardId,
            w => Describe(reference.CensusOf(w.Ward, w.HospitalId).Occupants!.Select(o => (o.PatientId, o.BedId, o.Presence == WardPresence.Present))),
            StringComparer.Ordinal);
        Progress($"reference: {reference.Patients.Count} patients, {reference.Wards.Count} ward ledgers");
        Dictionary<string, string> actual = [];
        await Eventually.TrueAsync(async () =>
        {
            actual = await OccupantsAsync(wards.Select(w => w.Ward.WardId)) ?? [];
            return expected.All(e => actual.TryGetValue(e.Key, out var a) && a == e.Value);
        }, TimeSpan.FromSeconds(90), () => Task.FromResult("ward occupants differ from the reference: " + string.Join("; ",
            expected.Where(e => !actual.TryGetValue(e.Key, out var a) || a != e.Value)
                .Select(e => $"{e.Key} expected [{e.Value}] got [{(actual.TryGetValue(e.Key, out var a) ? a : "none")}]"))));

        var counts = wards.ToDictionary(w => w.Ward.WardId, w => reference.CensusOf(w.Ward, w.HospitalId) is var c ? (c.Occupied, c.Waiting) : default, StringComparer.Ordinal);
        var census = await CensusAsync(Running) ?? [];
        Assert.All(counts, c => Assert.Equal(c.Value, census.GetValueOrDefault(c.Key)));
        Progress($"live wards equal the reference for all {expected.Count} wards: same occupants in the same beds ({counts.Values.Sum(v => v.Occupied)} occupied, {counts.Values.Sum(v => v.Waiting)} waiting)");
    }

    private static string Describe(IEnumerable<(string PatientId, string? BedId, bool Present)> occupants) =>
        string.Join(",", occupants.Select(o => $"{o.PatientId}@{o.BedId ?? "-"}{(o.Present ? "" : "(waiting)")}").Order(StringComparer.Ordinal));

    /// <summary>Each ward's occupants from /api/wards/{id} of the first silo that answers all of them; null when none does.</summary>
    private async Task<Dictionary<string, string>?> OccupantsAsync(IEnumerable<string> wardIds)
    {
        foreach (var silo in Running)
        {
            try
            {
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var wardId in wardIds)
                {
                    var json = await _http.GetFromJsonAsync<JsonElement>(silo.Url($"/api/wards/{wardId}"));
                    result[wardId] = Describe(json.GetProperty("occupants").EnumerateArray().Select(o => (
                        o.GetProperty("patient_id").GetString()!,
                        o.TryGetProperty("bed_id", out var bed) && bed.ValueKind == JsonValueKind.String ? bed.GetString() : null,
                        string.Equals(o.GetProperty("presence").GetString(), "PRESENT", StringComparison.OrdinalIgnoreCase))));
                }

                return result;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
            }
        }

        return null;
    }

    /// <summary>
    /// Profile=azure only: what the cluster left in the storage account, read with plain Table and Blob clients. The
    /// killed silo is Dead in Orleans' membership table and the others Active; every partition has a checkpoint row and
    /// no lease row names the dead silo; the reminder table exists; every patient of the reference replay and every ward has its state blob in the
    /// cluster's container.
    /// </summary>
    public async Task AssertAzureStorageHeldTheClusterAsync(string killedSilo, IReadOnlyList<BrokerRecord> records)
    {
        var account = _azureStorage ?? throw new InvalidOperationException("This cluster runs on Redis, not Azure Storage.");
        var members = new Azure.Data.Tables.TableClient(account, "OrleansSiloInstances")
            .Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == _clusterId).Where(e => e.GetString("SiloName") is not null).ToList();
        var killedRow = Assert.Single(members, m => m.GetString("SiloName") == killedSilo);
        Assert.Equal("Dead", killedRow.GetString("Status"));
        Assert.Equal(Silos.Count - 1, members.Count(m => m.GetString("SiloName") != killedSilo && m.GetString("Status") == "Active"));
        var deadAddress = $"{killedRow.GetString("Address")}:{killedRow.GetString("Port")}@";

        var rows = new Azure.Data.Tables.TableClient(account, "StreamCheckpoints")
            .Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == Uri.EscapeDataString(_clusterId)).ToList();
        var checkpoints = rows.Where(r => r.RowKey.EndsWith(".offset", StringComparison.Ordinal)).ToList();
        Assert.Equal(Partitions, checkpoints.Count);
        Assert.All(checkpoints, c => Assert.True(c.GetInt64("NextOffset") > 0, $"{c.RowKey} holds no offset"));
        Assert.All(rows.Where(r => r.RowKey.EndsWith(".lease", StringComparison.Ordinal)),
            l => Assert.False(l.GetString("Holder")?.StartsWith(deadAddress, StringComparison.Ordinal), $"{l.RowKey} still names the dead silo {deadAddress}"));

        // Orleans' Azure Table reminder service created its table when the silos started.
        Assert.Single(new Azure.Data.Tables.TableServiceClient(account).Query(t => t.Name == "OrleansReminders"));

        // A patient writes its state Patients:StateWriteDelay after its last change, retried while Azurite is slow under
        // three silos: the count is awaited, bounded, rather than read once the moment lag reaches zero.
        var wards = HospitalLayout.Default.Hospitals.Sum(h => h.Wards.Count);
        var patients = ReferencePipeline.Replay(records).Patients.Count;
        var container = new Azure.Storage.Blobs.BlobServiceClient(account).GetBlobContainerClient(GrainStateContainer);
        var blobs = 0;
        await Eventually.TrueAsync(async () =>
            {
                blobs = 0;
                await foreach (var _ in container.GetBlobsAsync())
                {
                    blobs++;
                }

                return blobs == patients + wards;
            },
            TimeSpan.FromSeconds(45),
            () => $"{blobs} grain state blobs; expected one per ward ({wards}) and per patient of the reference ({patients})");
        Progress($"Azure Storage: {killedSilo} Dead and {Silos.Count - 1} Active in the membership table; {checkpoints.Count} checkpoint rows, no lease on the dead silo; {blobs} grain state blobs");
    }
}
