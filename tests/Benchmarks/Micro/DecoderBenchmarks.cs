using BenchmarkDotNet.Attributes;
using HealthcareOrleans.Contracts.Events;

namespace HealthcareOrleans.Benchmarks.Micro;

/// <summary>
/// <see cref="PatientFlowDecoder.Decode"/> of one message already in memory as UTF-8 bytes: validation, JSON
/// deserialization and the contract checks, per event, with what each decode allocates.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    private readonly PatientFlowDecoder _decoder = new();
    private byte[] _adtEvent = [];
    private byte[] _flatRecord = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var workload = await MicroWorkload.LoadAsync();
        _adtEvent = workload.AdtEvent;
        _flatRecord = workload.FlatRecord;
        Console.WriteLine($"// ADT event: {_adtEvent.Length} bytes; flat admission record: {_flatRecord.Length} bytes");
    }

    [Benchmark]
    public DecodeResult AdtEvent() => _decoder.Decode(_adtEvent, MicroWorkload.AppendedAt);

    [Benchmark]
    public DecodeResult FlatAdmissionRecord() => _decoder.Decode(_flatRecord, MicroWorkload.AppendedAt);
}
