using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet.Serialization;

namespace HealthcareOrleans.Lake.Log;

/// <summary>
/// Parquet checkpoints: "a checkpoint contains the complete replay of all actions, up to and including the checkpointed
/// table version, with invalid actions removed" (PROTOCOL.md "Checkpoints"), plus the _last_checkpoint hint.
/// </summary>
internal static class Checkpoint
{
    public static async Task<byte[]> EncodeAsync(DeltaSnapshot snapshot, long tombstoneCutoffMs, CancellationToken cancellationToken)
    {
        List<CheckpointRow> rows =
        [
            new() { Protocol = new CheckpointProtocol
            {
                MinReaderVersion = snapshot.Protocol.MinReaderVersion,
                MinWriterVersion = snapshot.Protocol.MinWriterVersion,
                ReaderFeatures = snapshot.Protocol.ReaderFeatures?.ToList(),
                WriterFeatures = snapshot.Protocol.WriterFeatures?.ToList(),
            } },
            new()
            {
                MetaData = new CheckpointMetaData
                {
                    Id = snapshot.Metadata.Id,
                    Name = snapshot.Metadata.Name,
                    Description = snapshot.Metadata.Description,
                    Format = new CheckpointFormat { Provider = "parquet", Options = [] },
                    SchemaString = snapshot.Metadata.SchemaString,
                    PartitionColumns = [.. snapshot.Metadata.PartitionColumns],
                    Configuration = new Dictionary<string, string?>(snapshot.Metadata.Configuration),
                    CreatedTime = snapshot.Metadata.CreatedTime,
                },
            },
        ];
        rows.AddRange(snapshot.Transactions.Values.Select(t => new CheckpointRow
        {
            Txn = new CheckpointTxn { AppId = t.AppId, Version = t.Version, LastUpdated = t.LastUpdated },
        }));
        // "dataChange ... must be false" for actions in a checkpoint: they restate state, they do not change data.
        rows.AddRange(snapshot.ActiveFiles.Select(a => new CheckpointRow
        {
            Add = new CheckpointAdd
            {
                Path = a.Path,
                PartitionValues = new Dictionary<string, string?>(a.PartitionValues),
                Size = a.Size,
                ModificationTime = a.ModificationTime,
                DataChange = false,
                Tags = a.Tags is null ? null : new Dictionary<string, string?>(a.Tags),
                Stats = a.Stats,
            },
        }));
        // Tombstones older than delta.deletedFileRetentionDuration are expired: "a remove action should remain in the
        // state of the table as a tombstone until it has expired" and vacuum no longer needs them.
        rows.AddRange(snapshot.Tombstones.Where(r => (r.DeletionTimestamp ?? 0) >= tombstoneCutoffMs).Select(r => new CheckpointRow
        {
            Remove = new CheckpointRemove
            {
                Path = r.Path,
                DeletionTimestamp = r.DeletionTimestamp,
                DataChange = false,
                ExtendedFileMetadata = r.ExtendedFileMetadata,
                PartitionValues = r.PartitionValues is null ? null : new Dictionary<string, string?>(r.PartitionValues),
                Size = r.Size,
            },
        }));

        using MemoryStream buffer = new();
        await ParquetSerializer.SerializeAsync(rows, buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// Decodes a checkpoint written by any engine. The untyped reader follows the file's own schema, because engines
    /// differ in which fields they mark required (older Spark writes txn.version and add.size as REQUIRED) and in the
    /// extra columns they add (commitInfo, domainMetadata, deletionVector...), which are ignored here.
    /// </summary>
    public static async Task<List<DeltaAction>> DecodeAsync(byte[] content, CancellationToken cancellationToken)
    {
        using MemoryStream stream = new(content, writable: false);
        var result = await ParquetSerializer.DeserializeUntypedAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        List<DeltaAction> actions = new(result.Data.Count);
        foreach (var row in result.Data)
        {
            if (Struct(row, "protocol") is { } p && Long(p, "minReaderVersion") is { } reader && Long(p, "minWriterVersion") is { } writer)
            {
                actions.Add(new ProtocolAction((int)reader, (int)writer, StringList(p, "readerFeatures"), StringList(p, "writerFeatures")));
            }
            else if (Struct(row, "metaData") is { } m && String(m, "id") is { } id)
            {
                actions.Add(new MetadataAction(id, String(m, "schemaString") ?? string.Empty, StringList(m, "partitionColumns") ?? [], StringMap(m, "configuration") ?? [], Long(m, "createdTime"), String(m, "name"), String(m, "description")));
            }
            else if (Struct(row, "txn") is { } t && String(t, "appId") is { } appId && Long(t, "version") is { } version)
            {
                actions.Add(new TransactionAction(appId, version, Long(t, "lastUpdated")));
            }
            else if (Struct(row, "add") is { } a && String(a, "path") is { } addPath)
            {
                actions.Add(new AddFile(addPath, StringMap(a, "partitionValues") ?? [], Long(a, "size") ?? 0, Long(a, "modificationTime") ?? 0, false, String(a, "stats"), StringMap(a, "tags")));
            }
            else if (Struct(row, "remove") is { } r && String(r, "path") is { } removePath)
            {
                actions.Add(new RemoveFile(removePath, Long(r, "deletionTimestamp"), false, r["extendedFileMetadata"] is true, StringMap(r, "partitionValues"), Long(r, "size")));
            }
        }

        return actions;
    }

    private static IDictionary? Struct(Dictionary<string, object> row, string name) =>
        row.TryGetValue(name, out var value) ? value as IDictionary : null;

    private static string? String(IDictionary s, string name) => s.Contains(name) ? Text(s[name]) : null;

    // The untyped reader returns strings inside maps and lists as ReadOnlyMemory<char>.
    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        ReadOnlyMemory<char> memory => memory.ToString(),
        _ => value.ToString(),
    };

    private static long? Long(IDictionary s, string name) => s.Contains(name) && s[name] is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    private static Dictionary<string, string?>? StringMap(IDictionary s, string name)
    {
        if (!s.Contains(name) || s[name] is not IDictionary map)
        {
            return null;
        }

        Dictionary<string, string?> result = new(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            result[Text(entry.Key)!] = Text(entry.Value);
        }

        return result;
    }

    private static string[]? StringList(IDictionary s, string name) =>
        s.Contains(name) && s[name] is IEnumerable list and not string ? list.Cast<object?>().Select(x => Text(x) ?? string.Empty).ToArray() : null;

    public static byte[] EncodeLastCheckpoint(long version, long size) =>
        Encoding.UTF8.GetBytes($"{{\"version\":{version},\"size\":{size}}}");

    /// <summary>The version in _last_checkpoint, or null when the file is damaged (the caller then lists the log).</summary>
    public static long? TryDecodeLastCheckpoint(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
