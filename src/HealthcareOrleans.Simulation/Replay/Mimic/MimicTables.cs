using System.Globalization;
using System.IO.Compression;

namespace HealthcareOrleans.Simulation.Replay.Mimic;

/// <summary>One row of MIMIC-IV <c>hosp/transfers</c>: a stay in a care unit, or (eventtype discharge) the leaving.</summary>
/// <param name="HadmId">Null for an emergency visit that did not lead to an admission.</param>
/// <param name="CareUnit">Null on discharge rows.</param>
/// <param name="OutTime">Null on discharge rows.</param>
public sealed record MimicTransfer(long SubjectId, long? HadmId, long TransferId, string EventType, string? CareUnit, DateTime InTime, DateTime? OutTime);

/// <summary>One row of MIMIC-IV <c>hosp/patients</c>: what the ADT feed carries about the person (MIMIC has an age at an anchor year, no birth date).</summary>
public sealed record MimicPatient(long SubjectId, string? Gender);

/// <summary>Reads the gzip CSV tables of the MIMIC-IV demo (PhysioNet's layout: <c>hosp/transfers.csv.gz</c>, …).</summary>
public static class MimicTables
{
    public static IReadOnlyList<MimicTransfer> ReadTransfers(string demoDirectory) =>
        Read(Path.Combine(demoDirectory, "hosp", "transfers.csv.gz"), ["subject_id", "hadm_id", "transfer_id", "eventtype", "careunit", "intime", "outtime"],
            f => new MimicTransfer(long.Parse(f[0], CultureInfo.InvariantCulture), NullableLong(f[1]), long.Parse(f[2], CultureInfo.InvariantCulture),
                f[3], f[4].Length == 0 ? null : f[4], Time(f[5]), f[6].Length == 0 ? null : Time(f[6])));

    public static IReadOnlyList<MimicPatient> ReadPatients(string demoDirectory) =>
        Read(Path.Combine(demoDirectory, "hosp", "patients.csv.gz"), ["subject_id", "gender"],
            f => new MimicPatient(long.Parse(f[0], CultureInfo.InvariantCulture), f[1].Length == 0 ? null : f[1]));

    private static List<T> Read<T>(string path, string[] columns, Func<string[], T> parse)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The MIMIC-IV table {path} is missing; point at the demo's root folder (the one holding hosp/).", path);
        }

        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = CsvLine.Split(reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty."));
        var indexes = columns.Select(c => Array.IndexOf(header, c)).ToArray();
        if (indexes.Any(i => i < 0))
        {
            throw new InvalidDataException($"{path} lacks the column(s) {string.Join(", ", columns.Where((_, i) => indexes[i] < 0))}.");
        }

        var rows = new List<T>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = CsvLine.Split(line);
            try
            {
                rows.Add(parse(indexes.Select(i => i < fields.Length ? fields[i] : "").ToArray()));
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: {ex.Message}", ex);
            }
        }

        return rows;
    }

    private static long? NullableLong(string text) => text.Length == 0 ? null : long.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>MIMIC times have no zone: they are the hospital's wall clock, shifted per patient; they are read as UTC.</summary>
    private static DateTime Time(string text) =>
        DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
