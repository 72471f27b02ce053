using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Simulation.Kafka;

namespace HealthcareOrleans.Simulation.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new SimulationOptions().Validate());
        Assert.Empty(new KafkaPublisherOptions { BootstrapServers = "127.0.0.1:9092" }.Validate());
    }

    [Theory]
    [InlineData(-1, 0, 0, "Rate must be ≥ 0")]
    [InlineData(0, -2, 0, "Speed must be ≥ 0")]
    [InlineData(0, 0, -5, "Count must be ≥ 0")]
    public void Invalid_pacing_is_rejected_with_a_clear_message(double rate, double speed, long count, string expected)
    {
        var options = new SimulationOptions { Rate = rate, Speed = speed, Count = count };

        var error = Assert.Throws<ArgumentException>(() => new PatientFlowSimulator(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fault_rates_must_be_probabilities_that_add_up_to_at_most_one()
    {
        Assert.Contains(new FaultInjectionOptions { LateRate = 1.5 }.Validate(), p => p.Contains("LateRate", StringComparison.Ordinal));
        Assert.Contains(new FaultInjectionOptions { LateRate = 0.6, DuplicateRate = 0.6 }.Validate(), p => p.Contains("≤ 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_ward_faults_need_the_adt_format()
    {
        var options = new SimulationOptions { Format = SimulationFormat.FlatAdmission, Faults = new FaultInjectionOptions { UnknownWardRate = 0.1 } };

        Assert.Contains(options.Validate(), p => p.Contains("UnknownWardRate needs Format=Adt", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_bootstrap_address_says_what_to_set()
    {
        var error = Assert.Throws<ArgumentException>(() => new KafkaPatientFlowPublisher(new KafkaPublisherOptions()));
        Assert.Contains("BootstrapServers is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extra_kafka_config_overrides_the_defaults()
    {
        var options = new KafkaPublisherOptions
        {
            BootstrapServers = "broker:9093",
            ExtraConfig = new Dictionary<string, string> { ["security.protocol"] = "SASL_SSL", ["enable.idempotence"] = "false" },
        };

        var config = options.BuildProducerConfig();

        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
        Assert.False(config.EnableIdempotence);
        Assert.Equal(Confluent.Kafka.Acks.All, config.Acks);
        Assert.Equal(5, config.LingerMs);
    }
}
