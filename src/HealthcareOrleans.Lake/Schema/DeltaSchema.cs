using System.Text;
using System.Text.Json;

namespace HealthcareOrleans.Lake.Schema;

/// <summary>
/// The schema of a Delta table: an ordered list of top-level fields, serialized as Delta's JSON struct type
/// (PROTOCOL.md "Schema Serialization Format").
/// </summary>
public sealed class DeltaSchema : IEquatable<DeltaSchema>
{
    private readonly Dictionary<string, int> _byName;

    public DeltaSchema(IEnumerable<DeltaField> fields)
    {
        Fields = fields.ToArray();
        if (Fields.Count == 0)
        {
            throw new ArgumentException("A Delta schema needs at least one column.", nameof(fields));
        }

        // Delta column names are case-insensitive for resolution but case-preserving; two names that differ only by
        // case are ambiguous for every engine, so we refuse them.
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Fields.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Fields[i].Name))
            {
                throw new ArgumentException($"Column {i} has an empty name.", nameof(fields));
            }

            if (!_byName.TryAdd(Fields[i].Name, i))
            {
                throw new ArgumentException($"The column '{Fields[i].Name}' appears twice (names are case-insensitive).", nameof(fields));
            }
        }
    }

    public DeltaSchema(params DeltaField[] fields)
        : this((IEnumerable<DeltaField>)fields)
    {
    }

    public IReadOnlyList<DeltaField> Fields { get; }

    public DeltaField? Find(string name) => _byName.TryGetValue(name, out var i) ? Fields[i] : null;

    public int IndexOf(string name) => _byName.TryGetValue(name, out var i) ? i : -1;

    public DeltaField this[string name] => Find(name) ?? throw new KeyNotFoundException($"The table has no column '{name}'.");

    public static DeltaSchema Parse(string schemaString)
    {
        using var document = JsonDocument.Parse(schemaString);
        var root = document.RootElement;
        if (root.GetProperty("type").GetString() != "struct")
        {
            throw new FormatException("A Delta schema string must be a struct type.");
        }

        List<DeltaField> fields = [];
        foreach (var field in root.GetProperty("fields").EnumerateArray())
        {
            fields.Add(new DeltaField(
                field.GetProperty("name").GetString()!,
                DeltaType.Parse(field.GetProperty("type")),
                !field.TryGetProperty("nullable", out var nullable) || nullable.GetBoolean(),
                field.TryGetProperty("metadata", out var metadata) ? metadata.GetRawText() : "{}"));
        }

        return new DeltaSchema(fields);
    }

    public string ToJson()
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "struct");
            writer.WriteStartArray("fields");
            foreach (var field in Fields)
            {
                writer.WriteStartObject();
                writer.WriteString("name", field.Name);
                writer.WritePropertyName("type");
                field.Type.WriteTo(writer);
                writer.WriteBoolean("nullable", field.Nullable);
                writer.WritePropertyName("metadata");
                writer.WriteRawValue(field.MetadataJson);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public override string ToString() => string.Join(", ", Fields.Select(f => $"{f.Name} {f.Type}{(f.Nullable ? string.Empty : " not null")}"));

    public bool Equals(DeltaSchema? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override bool Equals(object? obj) => Equals(obj as DeltaSchema);

    public override int GetHashCode() => Fields.Count;
}
