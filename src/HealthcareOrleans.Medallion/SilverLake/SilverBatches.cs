using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Lake.Data;
using HealthcareOrleans.Lake.Schema;

namespace HealthcareOrleans.Medallion.SilverLake;

/// <summary>Silver rows → Delta batches (column arrays), including the extension columns of unknown fields.</summary>
public static class SilverBatches
{
    /// <param name="allowedExtensions">Extension columns that may be written: those the table has plus new ones within the cap.</param>
    public static DeltaBatch Events(IReadOnlyList<SilverEventRow> rows, IReadOnlySet<string> allowedExtensions)
    {
        var n = rows.Count;
        var columns = new List<DeltaColumn>
        {
            DeltaColumn.String(SilverEventsTable.EventId, Map(rows, r => r.Event.EventId)),
            DeltaColumn.String("event_type", Map(rows, r => r.Event.Type.ToWireName())),
            DeltaColumn.Timestamp("occurred_at", MapValue(rows, r => r.Event.OccurredAt.ToUniversalTime())),
            DeltaColumn.Date(SilverEventsTable.EventDate, MapValue(rows, r => DateOnly.FromDateTime(r.Event.OccurredAt.UtcDateTime))),
            DeltaColumn.String("hospital_id", Map(rows, r => r.Event.HospitalId)),
            DeltaColumn.String("patient_id", Map(rows, r => r.PatientId)),
            DeltaColumn.String("encounter_id", Map(rows, r => r.Event.EncounterId)),
            DeltaColumn.String("ward_id", Map(rows, r => r.Event.WardId)),
            DeltaColumn.String("from_ward_id", Map(rows, r => r.Event.FromWardId)),
            DeltaColumn.String("bed_id", Map(rows, r => r.Event.BedId)),
            DeltaColumn.String("department", Map(rows, r => r.Event.Department)),
            DeltaColumn.Integer("acuity", MapNullable(rows, r => r.Event.Acuity)),
            DeltaColumn.String("gender", Map(rows, r => r.Event.Attributes?.Gender)),
            DeltaColumn.String("age_band", Map(rows, r => r.Event.Attributes?.AgeBand)),
            DeltaColumn.String("postal_region", Map(rows, r => r.Event.Attributes?.PostalRegion)),
            DeltaColumn.String("payer", Map(rows, r => r.Event.Attributes?.Payer)),
            DeltaColumn.Integer("schema_version", MapValue(rows, r => r.SchemaVersion)),
            DeltaColumn.Integer("source_partition", MapValue(rows, r => r.Event.Position.Partition)),
            DeltaColumn.Long("source_offset", MapValue(rows, r => r.Event.Position.Offset)),
            DeltaColumn.Timestamp("appended_at", MapValue(rows, r => r.AppendedAt)),
            DeltaColumn.String(SilverEventsTable.SourceFormat, Map(rows, r => r.SourceFormat)),
        };

        Dictionary<string, string?[]> extensions = new(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (rows[i].Event.Extensions is not { Count: > 0 } fields)
            {
                continue;
            }

            // Ordinal order: when two fields map to one column name, the same one wins on every recomputation.
            foreach (var (field, json) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var name = ExtensionColumns.NameFor(field);
                if (!allowedExtensions.Contains(name))
                {
                    continue;
                }

                if (!extensions.TryGetValue(name, out var values))
                {
                    extensions[name] = values = new string?[n];
                }

                values[i] ??= json;
            }
        }

        foreach (var (name, values) in extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            columns.Add(DeltaColumn.String(name, values));
        }

        return new DeltaBatch(columns);
    }

    /// <summary>The extension column names the rows would produce, in order of first appearance.</summary>
    public static IEnumerable<string> ExtensionNames(IReadOnlyList<SilverEventRow> rows) =>
        rows.Where(r => r.Event.Extensions is { Count: > 0 })
            .SelectMany(r => r.Event.Extensions!.Keys.Order(StringComparer.Ordinal))
            .Select(ExtensionColumns.NameFor)
            .Distinct(StringComparer.Ordinal);

    public static DeltaBatch Quarantine(IReadOnlyList<QuarantineRow> rows) => new(
        new DeltaColumn<byte[]?>("payload", DeltaType.Binary, [.. rows.Select(r => r.Payload)]),
        DeltaColumn.String(QuarantineTable.Reason, Map(rows, r => r.Reason)),
        DeltaColumn.String(QuarantineTable.ReasonCode, Map(rows, r => RejectionReasons.CodeOf(r.Reason))),
        DeltaColumn.String("detail", Map(rows, r => r.Detail)),
        DeltaColumn.Timestamp("received_at", MapValue(rows, r => r.ReceivedAt)),
        DeltaColumn.Date(QuarantineTable.IngestDate, MapValue(rows, r => DateOnly.FromDateTime(r.ReceivedAt.UtcDateTime))),
        DeltaColumn.String("source_topic", Map(rows, r => r.Topic)),
        DeltaColumn.Integer("source_partition", MapValue(rows, r => r.Partition)),
        DeltaColumn.Long("source_offset", MapValue(rows, r => r.Offset)),
        DeltaColumn.Integer("source_part", MapValue(rows, r => r.Part)),
        DeltaColumn.String(QuarantineTable.SourceId, Map(rows, r => r.SourceId)));

    private static string?[] Map<T>(IReadOnlyList<T> rows, Func<T, string?> value)
    {
        var values = new string?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return values;
    }

    private static TValue?[] MapValue<T, TValue>(IReadOnlyList<T> rows, Func<T, TValue> value)
        where TValue : struct
    {
        var values = new TValue?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return values;
    }

    private static TValue?[] MapNullable<T, TValue>(IReadOnlyList<T> rows, Func<T, TValue?> value)
        where TValue : struct
    {
        var values = new TValue?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return values;
    }
}
