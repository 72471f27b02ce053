using HealthcareOrleans.Contracts.Hospital;

namespace HealthcareOrleans.Contracts.Tests.Hospital;

public sealed class HospitalLayoutTests
{
    [Fact]
    public void The_default_layout_is_embedded_and_valid()
    {
        var layout = HospitalLayout.Default;

        Assert.Equal(["RGH", "NCH"], layout.Hospitals.Select(h => h.HospitalId));
        Assert.Equal(14, layout.Wards.Count());
        Assert.All(layout.Wards, w => Assert.True(w.Beds > 0));
        Assert.Equal(layout.Wards.Count(), layout.Wards.Select(w => w.WardId).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_layout_survives_its_own_JSON()
    {
        var again = HospitalLayout.Parse(HospitalLayout.Default.ToJson());

        Assert.Equal(HospitalLayout.Default.Wards, again.Wards);
    }

    [Fact]
    public void A_ward_id_used_by_two_hospitals_is_refused()
    {
        const string json = """
            {"hospitals":[
              {"hospital_id":"A","name":"A","wards":[{"ward_id":"W1","name":"w","department":"Medicine","beds":1}]},
              {"hospital_id":"B","name":"B","wards":[{"ward_id":"W1","name":"w","department":"Surgery","beds":1}]}]}
            """;

        var error = Assert.Throws<InvalidDataException>(() => HospitalLayout.Parse(json));
        Assert.Contains("W1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"hospitals":[]}""")]
    [InlineData("""{"hospitals":[{"hospital_id":"A","name":"A","wards":[]}]}""")]
    [InlineData("""{"hospitals":[{"hospital_id":"A","name":"A","wards":[{"ward_id":"W","name":"w","department":"M","beds":0}]}]}""")]
    [InlineData("""{"hospitals":[{"hospital_id":"A","name":"A","wards":[{"ward_id":"W","name":"w","department":" ","beds":2}]}]}""")]
    public void An_unusable_layout_is_refused_with_a_reason(string json)
    {
        Assert.Throws<InvalidDataException>(() => HospitalLayout.Parse(json));
    }
}
