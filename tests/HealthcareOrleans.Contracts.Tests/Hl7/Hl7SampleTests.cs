using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Hl7;
using HealthcareOrleans.Contracts.Tests.Support;
using Xunit.Abstractions;

namespace HealthcareOrleans.Contracts.Tests.Hl7;

/// <summary>
/// Every real sample message in ../shared/data/hl7v2 parses; the mapping takes the triggers it supports and refuses
/// the others by name. Expected figures come from the files themselves (their lines, the LinuxForHealth index),
/// read here without the parser.
/// </summary>
public sealed partial class Hl7SampleTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset AppendedAt = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> MappedTriggers = ["A01", "A02", "A03", "A04", "A06", "A07", "A08", "A11", "A12", "A13"];

    [Fact]
    public void Every_sample_file_parses_segment_for_segment_and_each_message_is_mapped_or_refused_with_a_reason()
    {
        var files = Directory.EnumerateFiles(SharedData.Hl7V2, "*.hl7", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(57, files.Count(f => f.Contains("microsoft-fhir-converter", StringComparison.Ordinal)));
        Assert.Equal(87, files.Count(f => f.Contains("linuxforhealth", StringComparison.Ordinal)));
        var index = LinuxForHealthIndex();

        var decoder = new PatientFlowDecoder();
        Dictionary<string, int> outcomes = new(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var lines = NonEmptyLines(File.ReadAllText(file));
            var messages = Er7Batch.Split(File.ReadAllBytes(file), out var problem);
            Assert.Null(problem);
            Assert.Equal(lines.Count(l => l.StartsWith("MSH", StringComparison.Ordinal)), messages.Count);

            var parsed = Er7Parser.Parse(messages[0], DecodeLimits.Default);
            Assert.True(parsed.Message is not null, $"{name}: {parsed.Reason} {parsed.Detail}");
            var message = parsed.Message!;
            Assert.Equal(lines.Select(l => l[..3]), message.Segments.Select(s => s.Name));
            var msh9 = lines[0].Split('|')[8];
            if (index.TryGetValue(name, out var entry))
            {
                Assert.Equal(entry.Segments, message.Segments.Count);
                Assert.Equal(entry.Msh9, msh9);
            }

            var trigger = msh9.Split('^') is [_, { Length: > 0 } second, ..] ? second : lines.First(l => l.StartsWith("EVN", StringComparison.Ordinal)).Split('|')[1];
            var result = decoder.Decode(messages[0], AppendedAt);
            var outcome = result.IsAccepted ? "mapped" : result.RejectionReason!;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (!MappedTriggers.Contains(trigger))
            {
                Assert.Equal($"unsupported_trigger:{trigger}", result.RejectionReason);
            }
            else if (result.IsAccepted)
            {
                var evt = Assert.Single(result.Events);
                Assert.Equal(SourceFormats.Hl7V2, evt.SourceFormat);
                Assert.Equal(Hl7AdtTriggers.EventTypes[trigger], evt.EventType);
            }
            else
            {
                // Test fragments of the converter projects leave out what a feed must send (MSH-10, PID, a location).
                Assert.StartsWith("missing_field:", result.RejectionReason, StringComparison.Ordinal);
            }
        }

        output.WriteLine($"{files.Count} files, {files.Count} messages parsed");
        foreach (var (outcome, count) in outcomes.OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,4} {outcome}");
        }

        Assert.Equal(files.Count, outcomes.Values.Sum());
        Assert.DoesNotContain(outcomes.Keys, o => o.StartsWith(Hl7RejectionReasons.MalformedHl7, StringComparison.Ordinal) || o == Hl7RejectionReasons.UnsupportedVersion);
    }

    [Fact]
    public void The_A40_merges_are_refused_naming_both_patients()
    {
        foreach (var file in Directory.EnumerateFiles(SharedData.Hl7V2, "*A40*.hl7", SearchOption.AllDirectories))
        {
            var lines = NonEmptyLines(File.ReadAllText(file));
            var survivor = lines.First(l => l.StartsWith("PID", StringComparison.Ordinal)).Split('|')[3].Split('^')[0];
            var prior = lines.First(l => l.StartsWith("MRG", StringComparison.Ordinal)).Split('|')[1].Split('^')[0];

            var result = new PatientFlowDecoder().Decode(Er7Batch.Split(File.ReadAllBytes(file), out _)[0], AppendedAt);

            Assert.Equal("unsupported_trigger:A40", result.RejectionReason);
            Assert.Contains(survivor, result.Detail, StringComparison.Ordinal);
            Assert.Contains(prior, result.Detail, StringComparison.Ordinal);
            Assert.NotEqual(survivor, prior);
        }
    }

    private static List<string> NonEmptyLines(string text) =>
        [.. LineBreak().Split(text.TrimStart('\uFEFF')).Where(l => l.Length > 0)];

    private static Dictionary<string, (string Msh9, int Segments)> LinuxForHealthIndex()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.Hl7V2, "linuxforhealth", "INDEX.json"), Encoding.UTF8));
        return json.RootElement.EnumerateArray().ToDictionary(
            e => e.GetProperty("file").GetString()!,
            e => (e.GetProperty("msh9").GetString()!, e.GetProperty("segments").GetInt32()),
            StringComparer.Ordinal);
    }

    [GeneratedRegex("\r\n|\r|\n")]
    private static partial Regex LineBreak();
}
