using System.Text.Json;

namespace HealthcareOrleans.Lake.Log;

/// <summary>
/// Reads and writes commit files: "Delta files are stored as JSON in a directory at the root of the table named
/// _delta_log ... newline-delimited JSON, where every action is stored as a single line JSON document" (PROTOCOL.md).
/// </summary>
public static class DeltaActionJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    public static byte[] Serialize(IEnumerable<DeltaAction> actions)
    {
        using MemoryStream buffer = new();
        foreach (var action in actions)
        {
            using (Utf8JsonWriter writer = new(buffer, WriterOptions))
            {
                WriteAction(writer, action);
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    public static List<DeltaAction> Parse(ReadOnlySpan<byte> utf8, string source)
    {
        List<DeltaAction> actions = [];
        var lineNumber = 0;
        while (!utf8.IsEmpty)
        {
            lineNumber++;
            var end = utf8.IndexOf((byte)'\n');
            var line = end < 0 ? utf8 : utf8[..end];
            utf8 = end < 0 ? [] : utf8[(end + 1)..];
            if (line.Trim(" \r\t"u8).IsEmpty)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line.ToArray());
                if (ReadAction(document.RootElement) is { } action)
                {
                    actions.Add(action);
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new DeltaProtocolException($"{source} line {lineNumber} is not a valid Delta action: {e.Message}", e);
            }
        }

        return actions;
    }

    private static DeltaAction? ReadAction(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            var v = property.Value;
            switch (property.Name)
            {
                case "protocol":
                    return new ProtocolAction(
                        v.GetProperty("minReaderVersion").GetInt32(),
                        v.GetProperty("minWriterVersion").GetInt32(),
                        OptionalStringArray(v, "readerFeatures"),
                        OptionalStringArray(v, "writerFeatures"));
                case "metaData":
                    return new MetadataAction(
                        v.GetProperty("id").GetString()!,
                        OptionalString(v, "schemaString") ?? string.Empty,
                        v.TryGetProperty("partitionColumns", out var pc) && pc.ValueKind == JsonValueKind.Array
                            ? pc.EnumerateArray().Select(e => e.GetString()!).ToArray()
                            : [],
                        ReadStringMap(v, "configuration") ?? new Dictionary<string, string?>(),
                        OptionalLong(v, "createdTime"),
                        OptionalString(v, "name"),
                        OptionalString(v, "description"));
                case "add":
                    return new AddFile(
                        v.GetProperty("path").GetString()!,
                        ReadStringMap(v, "partitionValues") ?? new Dictionary<string, string?>(),
                        v.GetProperty("size").GetInt64(),
                        v.GetProperty("modificationTime").GetInt64(),
                        v.GetProperty("dataChange").GetBoolean(),
                        OptionalString(v, "stats"),
                        ReadStringMap(v, "tags"));
                case "remove":
                    return new RemoveFile(
                        v.GetProperty("path").GetString()!,
                        OptionalLong(v, "deletionTimestamp"),
                        !v.TryGetProperty("dataChange", out var dc) || dc.GetBoolean(),
                        v.TryGetProperty("extendedFileMetadata", out var ext) && ext.ValueKind == JsonValueKind.True,
                        ReadStringMap(v, "partitionValues"),
                        OptionalLong(v, "size"));
                case "txn":
                    return new TransactionAction(v.GetProperty("appId").GetString()!, v.GetProperty("version").GetInt64(), OptionalLong(v, "lastUpdated"));
                case "commitInfo":
                    return new CommitInfo(
                        OptionalLong(v, "timestamp"),
                        OptionalString(v, "operation"),
                        ReadLooseMap(v, "operationParameters"),
                        OptionalLong(v, "readVersion"),
                        v.TryGetProperty("isBlindAppend", out var blind) && blind.ValueKind is JsonValueKind.True or JsonValueKind.False ? blind.GetBoolean() : null,
                        OptionalString(v, "engineInfo"),
                        OptionalString(v, "txnId"),
                        ReadLooseMap(v, "operationMetrics"));
                default:
                    // cdc, domainMetadata, checkpointMetadata...: not needed by a reader-1/writer-2 table; skipped.
                    return null;
            }
        }

        return null;
    }

    private static void WriteAction(Utf8JsonWriter w, DeltaAction action)
    {
        w.WriteStartObject();
        switch (action)
        {
            case CommitInfo c:
                w.WriteStartObject("commitInfo");
                if (c.Timestamp is { } ts)
                {
                    w.WriteNumber("timestamp", ts);
                }

                WriteOptional(w, "operation", c.Operation);
                WriteMap(w, "operationParameters", c.OperationParameters.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
                if (c.ReadVersion is { } rv)
                {
                    w.WriteNumber("readVersion", rv);
                }

                if (c.IsBlindAppend is { } blind)
                {
                    w.WriteBoolean("isBlindAppend", blind);
                }

                if (c.OperationMetrics is { Count: > 0 } metrics)
                {
                    WriteMap(w, "operationMetrics", metrics.ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
                }

                WriteOptional(w, "engineInfo", c.EngineInfo);
                WriteOptional(w, "txnId", c.TxnId);
                w.WriteEndObject();
                break;
            case ProtocolAction p:
                w.WriteStartObject("protocol");
                w.WriteNumber("minReaderVersion", p.MinReaderVersion);
                w.WriteNumber("minWriterVersion", p.MinWriterVersion);
                WriteOptionalArray(w, "readerFeatures", p.ReaderFeatures);
                WriteOptionalArray(w, "writerFeatures", p.WriterFeatures);
                w.WriteEndObject();
                break;
            case MetadataAction m:
                w.WriteStartObject("metaData");
                w.WriteString("id", m.Id);
                WriteOptional(w, "name", m.Name);
                WriteOptional(w, "description", m.Description);
                w.WriteStartObject("format");
                w.WriteString("provider", "parquet");
                w.WriteStartObject("options");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteString("schemaString", m.SchemaString);
                w.WriteStartArray("partitionColumns");
                foreach (var column in m.PartitionColumns)
                {
                    w.WriteStringValue(column);
                }

                w.WriteEndArray();
                WriteMap(w, "configuration", m.Configuration);
                if (m.CreatedTime is { } created)
                {
                    w.WriteNumber("createdTime", created);
                }

                w.WriteEndObject();
                break;
            case AddFile a:
                w.WriteStartObject("add");
                w.WriteString("path", a.Path);
                WriteMap(w, "partitionValues", a.PartitionValues);
                w.WriteNumber("size", a.Size);
                w.WriteNumber("modificationTime", a.ModificationTime);
                w.WriteBoolean("dataChange", a.DataChange);
                WriteOptional(w, "stats", a.Stats);
                if (a.Tags is { Count: > 0 } tags)
                {
                    WriteMap(w, "tags", tags);
                }

                w.WriteEndObject();
                break;
            case RemoveFile r:
                w.WriteStartObject("remove");
                w.WriteString("path", r.Path);
                if (r.DeletionTimestamp is { } deleted)
                {
                    w.WriteNumber("deletionTimestamp", deleted);
                }

                w.WriteBoolean("dataChange", r.DataChange);
                if (r.ExtendedFileMetadata)
                {
                    w.WriteBoolean("extendedFileMetadata", true);
                    WriteMap(w, "partitionValues", r.PartitionValues ?? new Dictionary<string, string?>());
                    if (r.Size is { } size)
                    {
                        w.WriteNumber("size", size);
                    }
                }

                w.WriteEndObject();
                break;
            case TransactionAction t:
                w.WriteStartObject("txn");
                w.WriteString("appId", t.AppId);
                w.WriteNumber("version", t.Version);
                if (t.LastUpdated is { } updated)
                {
                    w.WriteNumber("lastUpdated", updated);
                }

                w.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"Unknown action {action.GetType().Name}.", nameof(action));
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string?> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            if (value is null)
            {
                w.WriteNull(key);
            }
            else
            {
                w.WriteString(key, value);
            }
        }

        w.WriteEndObject();
    }

    private static string[]? OptionalStringArray(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : null;

    private static void WriteOptionalArray(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? OptionalLong(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static Dictionary<string, string?>? ReadStringMap(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        Dictionary<string, string?> map = new(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString();
        }

        return map;
    }

    private static Dictionary<string, string> ReadLooseMap(JsonElement e, string name)
    {
        Dictionary<string, string> map = new(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        return map;
    }
}
