using HealthcareOrleans.PatientFlow.Silver;
using Parquet;
using Parquet.Schema;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// The baseline's Parquet work: one Silver-like row per accepted event (the columns of
/// <c>silver/patient_flow_events</c>), buffered column by column and encoded in memory as a row group of
/// <see cref="RowGroupRows"/> rows with Parquet.Net's low-level writer and its default compression, as the lake does.
/// </summary>
internal sealed class SilverParquetEncoder : IAsyncDisposable
{
    public const int RowGroupRows = 10_000;

    private static readonly DataField<string> EventId = new("event_id");
    private static readonly DataField<string> EventType = new("event_type");
    private static readonly DateTimeDataField OccurredAt = new("occurred_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private static readonly DataField<string> HospitalId = new("hospital_id");
    private static readonly DataField<string> PatientId = new("patient_id");
    private static readonly DataField<string> EncounterId = new("encounter_id", true);
    private static readonly DataField<string> WardId = new("ward_id", true);
    private static readonly DataField<string> FromWardId = new("from_ward_id", true);
    private static readonly DataField<string> BedId = new("bed_id", true);
    private static readonly DataField<string> Department = new("department", true);
    private static readonly DataField<int?> Acuity = new("acuity");
    private static readonly DataField<string> Gender = new("gender", true);
    private static readonly DataField<string> AgeBand = new("age_band", true);
    private static readonly DataField<string> PostalRegion = new("postal_region", true);
    private static readonly DataField<string> Payer = new("payer", true);
    private static readonly DataField<int> SourcePartition = new("source_partition");
    private static readonly DataField<long> SourceOffset = new("source_offset");
    private static readonly DateTimeDataField AppendedAt = new("appended_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);

    private readonly MemoryStream _output;
    private readonly ParquetWriter _writer;
    private readonly string?[] _eventId = new string?[RowGroupRows], _eventType = new string?[RowGroupRows], _hospitalId = new string?[RowGroupRows], _patientId = new string?[RowGroupRows];
    private readonly string?[] _encounterId = new string?[RowGroupRows], _wardId = new string?[RowGroupRows], _fromWardId = new string?[RowGroupRows], _bedId = new string?[RowGroupRows];
    private readonly string?[] _department = new string?[RowGroupRows], _gender = new string?[RowGroupRows], _ageBand = new string?[RowGroupRows], _postalRegion = new string?[RowGroupRows], _payer = new string?[RowGroupRows];
    private readonly int?[] _acuity = new int?[RowGroupRows];
    private readonly int[] _partition = new int[RowGroupRows];
    private readonly long[] _offset = new long[RowGroupRows];
    private readonly DateTime[] _occurredAt = new DateTime[RowGroupRows], _appendedAt = new DateTime[RowGroupRows];
    private int _rows;
    private bool _completed;

    private SilverParquetEncoder(MemoryStream output, ParquetWriter writer)
    {
        _output = output;
        _writer = writer;
    }

    public static async Task<SilverParquetEncoder> CreateAsync()
    {
        var output = new MemoryStream();
        var schema = new ParquetSchema(
            EventId, EventType, OccurredAt, HospitalId, PatientId, EncounterId, WardId, FromWardId, BedId, Department, Acuity,
            Gender, AgeBand, PostalRegion, Payer, SourcePartition, SourceOffset, AppendedAt);
        return new SilverParquetEncoder(output, await ParquetWriter.CreateAsync(schema, output));
    }

    public async ValueTask AddAsync(CleanEvent e, string patientId, DateTime appendedAtUtc)
    {
        var i = _rows++;
        _eventId[i] = e.EventId;
        _eventType[i] = e.Type.ToString();
        _occurredAt[i] = e.OccurredAt.UtcDateTime;
        _hospitalId[i] = e.HospitalId;
        _patientId[i] = patientId;
        _encounterId[i] = e.EncounterId;
        _wardId[i] = e.WardId;
        _fromWardId[i] = e.FromWardId;
        _bedId[i] = e.BedId;
        _department[i] = e.Department;
        _acuity[i] = e.Acuity;
        _gender[i] = e.Attributes?.Gender;
        _ageBand[i] = e.Attributes?.AgeBand;
        _postalRegion[i] = e.Attributes?.PostalRegion;
        _payer[i] = e.Attributes?.Payer;
        _partition[i] = e.Position.Partition;
        _offset[i] = e.Position.Offset;
        _appendedAt[i] = appendedAtUtc;
        if (_rows == RowGroupRows)
        {
            await FlushAsync();
        }
    }

    /// <summary>Encodes the last row group and the footer; returns the size of the Parquet file.</summary>
    public async Task<long> CompleteAsync()
    {
        await FlushAsync();
        await _writer.DisposeAsync();
        _completed = true;
        return _output.Length;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _writer.DisposeAsync();
        }

        await _output.DisposeAsync();
    }

    private async Task FlushAsync()
    {
        if (_rows == 0)
        {
            return;
        }

        var n = _rows;
        _rows = 0;
        using var group = _writer.CreateRowGroup();
        await group.WriteAsync(EventId, Strings(_eventId, n));
        await group.WriteAsync(EventType, Strings(_eventType, n));
        await group.WriteAsync<DateTime>(OccurredAt, _occurredAt.AsMemory(0, n));
        await group.WriteAsync(HospitalId, Strings(_hospitalId, n));
        await group.WriteAsync(PatientId, Strings(_patientId, n));
        await group.WriteAsync(EncounterId, Strings(_encounterId, n));
        await group.WriteAsync(WardId, Strings(_wardId, n));
        await group.WriteAsync(FromWardId, Strings(_fromWardId, n));
        await group.WriteAsync(BedId, Strings(_bedId, n));
        await group.WriteAsync(Department, Strings(_department, n));
        await group.WriteAsync<int>(Acuity, _acuity.AsMemory(0, n));
        await group.WriteAsync(Gender, Strings(_gender, n));
        await group.WriteAsync(AgeBand, Strings(_ageBand, n));
        await group.WriteAsync(PostalRegion, Strings(_postalRegion, n));
        await group.WriteAsync(Payer, Strings(_payer, n));
        await group.WriteAsync<int>(SourcePartition, _partition.AsMemory(0, n));
        await group.WriteAsync<long>(SourceOffset, _offset.AsMemory(0, n));
        await group.WriteAsync<DateTime>(AppendedAt, _appendedAt.AsMemory(0, n));
    }

    // Parquet.Net takes strings as a collection (it computes their encoded lengths), not as memory.
    private static ArraySegment<string?> Strings(string?[] values, int count) => new(values, 0, count);
}
