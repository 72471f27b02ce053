using System.Text;

namespace HealthcareOrleans.Lake.Partitioning;

/// <summary>
/// Hive-style partition folders (<c>col=value/</c>) and the URI encoding of add.path.
/// PROTOCOL.md: add.path is "A relative path to a data file from the root of the table or an absolute path to a file
/// that should be added to the table. The path is a URI as specified by RFC 2396 URI Generic Syntax, which needs to be
/// decoded to get the data file path."
/// </summary>
public static class PartitionPath
{
    /// <summary>Hive's folder name for a null partition value.</summary>
    public const string HiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>The physical folder for a set of partition values, e.g. <c>ingest_date=2026-11-25/</c>; empty when unpartitioned.</summary>
    public static string Folder(IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string?> values)
    {
        if (partitionColumns.Count == 0)
        {
            return string.Empty;
        }

        StringBuilder folder = new();
        foreach (var column in partitionColumns)
        {
            var value = values[column];
            folder.Append(EscapeHive(column)).Append('=').Append(value is null ? HiveDefaultPartition : EscapeHive(value)).Append('/');
        }

        return folder.ToString();
    }

    /// <summary>Encodes a physical relative path as the URI string stored in add.path / remove.path.</summary>
    public static string ToUri(string physicalPath)
    {
        StringBuilder uri = new(physicalPath.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(physicalPath))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or '=')
            {
                uri.Append(c);
            }
            else
            {
                uri.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return uri.ToString();
    }

    /// <summary>Decodes add.path into the physical path relative to the table root.</summary>
    public static string FromUri(string uriPath)
    {
        if (uriPath.Contains("://", StringComparison.Ordinal) || uriPath.StartsWith('/'))
        {
            throw new DeltaProtocolException($"The data file path '{uriPath}' is absolute; only paths relative to the table root are supported.");
        }

        return Uri.UnescapeDataString(uriPath);
    }

    /// <summary>
    /// Hive's escapePathName: the characters that cannot appear in a folder name (and '%', '=', ':') become %XX,
    /// which is why a timestamp partition folder reads "2021-09-08 11%3A11%3A11".
    /// </summary>
    private static string EscapeHive(string value)
    {
        StringBuilder escaped = new(value.Length);
        foreach (var c in value)
        {
            if (c < 0x20 || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '\x7F' or '{' or '[' or ']' or '^')
            {
                escaped.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
