using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.PatientFlow.Patients;
using HealthcareOrleans.Streaming.Kafka.Tap;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// Hands a record straight to its patient grain after a silo loss (see <see cref="IRecordRedelivery"/>). Records that
/// do not decode are skipped: they changed no state, and handing them over again would count their rejection twice.
/// </summary>
public sealed class PatientRecordRedelivery(IGrainFactory grains, PatientFlowDecoder decoder) : IRecordRedelivery
{
    public async Task RedeliverAsync(BrokerRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var decoded = decoder.Decode(record);
        if (!decoded.IsAccepted)
        {
            return;
        }

        await grains.GetGrain<IPatientGrain>(PatientRoute.PatientIdOf(record, decoded)).ReceiveAsync(record).WaitAsync(cancellationToken);
    }
}
