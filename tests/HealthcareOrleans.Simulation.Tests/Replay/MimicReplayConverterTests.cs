using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Simulation.Replay.Mimic;

namespace HealthcareOrleans.Simulation.Tests.Replay;

/// <summary>
/// The MIMIC-IV replay against DuckDB SQL over transfers.csv.gz: the layout's beds, the messages per trigger and the
/// time shift. The ER7 is read back here by the HL7 v2 field positions, independently of the writer.
/// </summary>
public sealed class MimicReplayConverterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _out = Path.Combine(Path.GetTempPath(), "mimic-replay-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private sealed record Message(string Trigger, DateTime At, string PatientId, string Ward, string PriorWard, string Visit, string ControlId, string PatientClass);

    private List<Message> ReadAdt()
    {
        var messages = new List<Message>();
        Dictionary<string, string[]>? segments = null;
        foreach (var segment in File.ReadAllText(Path.Combine(_out, MimicReplayConverter.AdtFile)).Split('\r', StringSplitOptions.RemoveEmptyEntries).Append("MSH|end"))
        {
            var fields = segment.Split('|');
            if (fields[0] == "MSH")
            {
                if (segments is not null)
                {
                    string Field(string name, int index) => segments[name].ElementAtOrDefault(index) ?? "";
                    // MSH-1 is the separator itself, so MSH-n sits at index n-1; in other segments seg-n is at index n.
                    messages.Add(new Message(Field("MSH", 8).Split('^')[1],
                        DateTime.ParseExact(Field("EVN", 6)[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                        Field("PID", 3).Split('^')[0], Field("PV1", 3).Split('^')[0], Field("PV1", 6).Split('^')[0], Field("PV1", 19), Field("MSH", 9), Field("PV1", 2)));
                }

                segments = new Dictionary<string, string[]>(StringComparer.Ordinal);
            }

            segments![fields[0]] = fields;
        }

        return messages;
    }

    [Fact]
    public void Layout_has_a_ward_per_care_unit_with_the_most_patients_the_data_has_there_at_once()
    {
        var summary = MimicReplayConverter.Convert(MimicData.DemoDirectory, _out, Now);
        var layout = HospitalLayout.LoadFile(Path.Combine(_out, MimicReplayConverter.LayoutFile));

        // The beds fit the feed as sent: each patient's rows moved by that patient's shift (from the manifest).
        // A leaving at the same instant as an arrival is counted first (d = -1 sorts before +1): a stay is [intime, outtime).
        var expected = MimicData.Query($"""
            WITH shift AS (SELECT * FROM (VALUES {Shifts(summary)}) AS s(subject_id, days)),
                 stays AS (SELECT careunit, intime + to_days(days) AS intime, outtime + to_days(days) AS outtime
                           FROM {MimicData.TransfersTable(MimicData.Transfers(MimicData.DemoDirectory))} JOIN shift USING (subject_id)
                           WHERE careunit IS NOT NULL AND outtime IS NOT NULL),
                 changes AS (SELECT careunit, intime AS t, 1 AS d FROM stays UNION ALL SELECT careunit, outtime, -1 FROM stays),
                 running AS (SELECT careunit, SUM(d) OVER (PARTITION BY careunit ORDER BY t, d ROWS UNBOUNDED PRECEDING) AS present FROM changes)
            SELECT careunit, CAST(MAX(present) AS DOUBLE) FROM running GROUP BY careunit
            """);

        var hospital = Assert.Single(layout.Hospitals);
        Assert.Equal(MimicCareUnits.HospitalId, hospital.HospitalId);
        Assert.Equal(31, expected.Count);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, (int)e.Value)),
            hospital.Wards.OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => (w.Name, w.Beds)));
        Assert.Equal(hospital.Wards.Count, hospital.Wards.Select(w => w.WardId).Distinct().Count());
    }

    [Fact]
    public void Each_transfer_row_is_one_adt_message_of_its_trigger_and_ed_visits_without_admission_end_with_a_discharge_from_the_ed()
    {
        var summary = MimicReplayConverter.Convert(MimicData.DemoDirectory, _out, Now);
        var messages = ReadAdt();

        var expected = MimicData.Query($"""
            WITH t AS (SELECT * FROM {MimicData.TransfersTable(MimicData.Transfers(MimicData.DemoDirectory))})
            SELECT 'A04', CAST(COUNT(*) AS DOUBLE) FROM t WHERE eventtype = 'ED'
            UNION ALL SELECT 'A01', CAST(COUNT(*) AS DOUBLE) FROM t WHERE eventtype = 'admit'
            UNION ALL SELECT 'A02', CAST(COUNT(*) AS DOUBLE) FROM t WHERE eventtype = 'transfer'
            UNION ALL SELECT 'A03', CAST((SELECT COUNT(*) FROM t WHERE eventtype = 'discharge') + (SELECT COUNT(*) FROM t WHERE eventtype = 'ED' AND hadm_id IS NULL) AS DOUBLE)
            UNION ALL SELECT 'patients', CAST(COUNT(DISTINCT subject_id) AS DOUBLE) FROM t
            UNION ALL SELECT 'encounters', CAST(COUNT(DISTINCT COALESCE(CAST(hadm_id AS VARCHAR), 'ED' || transfer_id)) AS DOUBLE) FROM t
            """);

        Assert.Equal(expected.Where(e => e.Key.StartsWith('A')).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, (int)e.Value)),
            messages.GroupBy(m => m.Trigger).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())));
        Assert.Equal((int)expected["patients"], summary.Patients);
        Assert.Equal((int)expected["encounters"], summary.Encounters);
        Assert.Equal(messages.Count, summary.Messages);
        Assert.Equal(messages.Count, messages.Select(m => m.ControlId).Distinct().Count());
        Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.At <= p.Second.At), "messages are in event-time order");
        Assert.All(messages.Where(m => m.Trigger == "A02"), m => Assert.NotEqual("", m.PriorWard));
        Assert.All(messages.Where(m => m.Trigger == "A04"), m => Assert.Equal(("E", "MIMIC-EMERGENCY-DEPARTMENT"), (m.PatientClass, m.Ward)));
        Assert.Equal((int)expected["patients"], messages.Select(m => m.PatientId).Distinct().Count());
    }

    [Fact]
    public void Each_patient_moves_into_the_past_by_whole_weeks_and_every_stay_keeps_its_length_to_the_second()
    {
        var summary = MimicReplayConverter.Convert(MimicData.DemoDirectory, _out, Now);
        var messages = ReadAdt();
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, MimicReplayConverter.ManifestFile))).RootElement;

        Assert.Equal(summary.Patients, manifest.GetProperty("shift_days_by_patient").EnumerateObject().Count());
        Assert.All(summary.ShiftDaysByPatient.Values, days => Assert.Equal(0, days % 7));
        foreach (var patient in messages.GroupBy(m => m.PatientId))
        {
            var last = patient.Max(m => m.At);
            Assert.True(last <= Now.UtcDateTime.Date.AddDays(-1) && last > Now.UtcDateTime.Date.AddDays(-8),
                $"patient {patient.Key}'s last message ({last:O}) lies in the week before the conversion day");
        }

        // Each admission's length (discharge − admit) and each ED-only visit's (outtime − intime), in seconds, from SQL.
        var expected = MimicData.Query($"""
            WITH t AS (SELECT * FROM {MimicData.TransfersTable(MimicData.Transfers(MimicData.DemoDirectory))})
            SELECT CAST(a.hadm_id AS VARCHAR), CAST(epoch(d.intime) - epoch(a.intime) AS DOUBLE) FROM t a JOIN t d ON a.hadm_id = d.hadm_id
            WHERE a.eventtype = 'admit' AND d.eventtype = 'discharge'
            UNION ALL SELECT 'ED' || transfer_id, CAST(epoch(outtime) - epoch(intime) AS DOUBLE) FROM t WHERE eventtype = 'ED' AND hadm_id IS NULL
            """);
        var actual = messages.GroupBy(m => m.Visit).ToDictionary(
            g => g.Key,
            g => (g.Last(m => m.Trigger == "A03").At - g.First(m => m.Trigger == (g.Key.StartsWith("ED", StringComparison.Ordinal) ? "A04" : "A01")).At).TotalSeconds);
        Assert.Equal(expected.Count, actual.Count);
        Assert.All(expected, e => Assert.Equal(e.Value, actual[e.Key]));
    }

    private static string Shifts(MimicReplaySummary summary) =>
        string.Join(", ", summary.ShiftDaysByPatient.Select(s => $"({s.Key}, {s.Value})"));

    [Fact]
    public void A_transfers_table_written_here_gives_the_beds_and_messages_worked_out_by_hand()
    {
        var demo = Path.Combine(_out, "demo");
        Directory.CreateDirectory(Path.Combine(demo, "hosp"));
        // Patient 1: ED, admitted to A, moved to B, back to A, discharged. Patient 2: in A while patient 1 is
        // there (A peaks at 2), arriving the second patient 1 leaves B. Patient 3: an ED visit that goes home.
        WriteGzip(Path.Combine(demo, "hosp", "transfers.csv.gz"), """
            subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime
            1,100,11,ED,Emergency Department,2150-01-01 08:00:00,2150-01-01 10:00:00
            1,100,12,admit,Ward A,2150-01-01 10:00:00,2150-01-02 10:00:00
            1,100,13,transfer,"Ward B, Annex",2150-01-02 10:00:00,2150-01-03 10:00:00
            1,100,14,transfer,Ward A,2150-01-03 10:00:00,2150-01-04 10:00:00
            1,100,15,discharge,,2150-01-04 10:00:00,
            2,200,21,admit,"Ward B, Annex",2150-01-03 10:00:00,2150-01-03 12:00:00
            2,200,22,transfer,Ward A,2150-01-03 12:00:00,2150-01-05 00:00:00
            2,200,23,discharge,,2150-01-05 00:00:00,
            3,,31,ED,Emergency Department,2150-01-01 09:00:00,2150-01-01 09:30:00
            """);
        WriteGzip(Path.Combine(demo, "hosp", "patients.csv.gz"), """
            subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod
            1,F,50,2150,2011 - 2013,
            2,M,70,2150,2011 - 2013,
            3,F,30,2150,2011 - 2013,
            """);

        var summary = MimicReplayConverter.Convert(demo, _out, Now);
        var layout = HospitalLayout.LoadFile(Path.Combine(_out, MimicReplayConverter.LayoutFile));
        var messages = ReadAdt();

        Assert.Equal([("Emergency Department", 2), ("Ward A", 2), ("Ward B, Annex", 1)], layout.Wards.OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => (w.Name, w.Beds)));
        Assert.Equal((3, 3, 10), (summary.Patients, summary.Encounters, summary.Messages));
        Assert.Equal(["A04", "A04", "A03", "A01", "A02", "A02", "A01", "A02", "A03", "A03"], messages.Select(m => m.Trigger));
        Assert.Equal("MIMIC-WARD-B-ANNEX", messages[4].Ward);
        Assert.Equal("MIMIC-WARD-A", messages[4].PriorWard);
        Assert.Equal(("A03", "3", "MIMIC-EMERGENCY-DEPARTMENT", "ED31"), (messages[2].Trigger, messages[2].PatientId, messages[2].Ward, messages[2].Visit));
    }

    private static void WriteGzip(string path, string text)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip);
        writer.Write(text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
    }
}
