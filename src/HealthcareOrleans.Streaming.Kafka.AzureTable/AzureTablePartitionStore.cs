using System.Globalization;
using Azure;
using Azure.Data.Tables;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;

namespace HealthcareOrleans.Streaming.Kafka.AzureTable;

/// <summary>
/// Stream checkpoints and partition leases in one Azure Storage table, so that a cluster whose membership and grain
/// state live in Azure Storage needs no Redis: the silo that takes a partition over resumes where its previous owner
/// stopped and waits for that owner's release. Rows are partitioned by <c>scope</c> (the Orleans service id), so
/// deployments may share a table; a partition's checkpoint and its lease are two rows, so saving an offset never
/// invalidates the ETag a lease change is conditioned on.
/// </summary>
/// <remarks>
/// Every lease change is a read followed by a write conditioned on the ETag read (<c>If-Match</c>), or an insert that
/// fails if the row exists: of two silos changing one lease at once exactly one write succeeds. A lease runs out by the
/// storage service's clock alone (the row's <c>Timestamp</c> plus its length, against the response's <c>Date</c>),
/// so silos whose clocks disagree still agree on when a lease has expired.
/// </remarks>
public sealed class AzureTablePartitionStore : IPartitionCheckpointStore, IPartitionOwnershipStore
{
    private const string NextOffsetColumn = "NextOffset";
    private const string HolderColumn = "Holder";
    private const string LeaseMillisecondsColumn = "LeaseMilliseconds";

    // A lost race re-reads the row and decides again; more attempts than this means the row changes faster than a
    // lease is renewed, and the caller polls again anyway.
    private const int Attempts = 3;

    private readonly TableClient _table;
    private readonly string _partitionKey;
    private readonly TimeProvider _clock;
    private volatile bool _tableExists;

    public AzureTablePartitionStore(TableClient table, string scope, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _table = table;
        _partitionKey = Escape(scope);
        _clock = clock ?? TimeProvider.System;
    }

    public string TableName => _table.Name;

    public string PartitionKey => _partitionKey;

    /// <summary>The row that holds <paramref name="key"/>'s next offset.</summary>
    public string CheckpointRowFor(PartitionCheckpointKey key) => RowBase(key) + ".offset";

    /// <summary>The row that holds <paramref name="key"/>'s lease.</summary>
    public string LeaseRowFor(PartitionCheckpointKey key) => RowBase(key) + ".lease";

    public async ValueTask<long?> LoadAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(_partitionKey, CheckpointRowFor(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        return row.Value!.GetInt64(NextOffsetColumn) is { } offset and >= 0
            ? offset
            : throw new InvalidDataException($"Table '{_table.Name}' row ({_partitionKey}, {CheckpointRowFor(key)}) holds no offset. Delete the row to restart the partition from the configured start position.");
    }

    public async ValueTask SaveAsync(PartitionCheckpointKey key, long nextOffset, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nextOffset);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        // Last writer wins, as in the other stores: an old owner saving a lower offset late only makes the next owner
        // re-read a little, which consumers and Bronze deduplicate.
        var row = new TableEntity(_partitionKey, CheckpointRowFor(key)) { [NextOffsetColumn] = nextOffset };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> TryAcquireAsync(PartitionCheckpointKey key, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await ReadLeaseAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is { } held && held.Holder is { } holder && holder != owner)
            {
                return false;
            }

            var written = current is null
                ? await TryInsertAsync(LeaseRow(key, owner, lease), cancellationToken).ConfigureAwait(false)
                : await TryReplaceAsync(LeaseRow(key, owner, lease), current.Value.ETag, cancellationToken).ConfigureAwait(false);
            if (written)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask<string?> GetHolderAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadLeaseAsync(key, cancellationToken).ConfigureAwait(false))?.Holder;
    }

    public async ValueTask<bool> TryTakeOverAsync(PartitionCheckpointKey key, string holder, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        // One attempt only: a lost race means another receiver took the lease (or its holder renewed it), and either
        // way the lease is no longer the dead holder's to take.
        var current = await ReadLeaseAsync(key, cancellationToken).ConfigureAwait(false);
        return current is { } held && held.Holder == holder
            && await TryReplaceAsync(LeaseRow(key, owner, lease), held.ETag, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReleaseAsync(PartitionCheckpointKey key, string owner, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        if (await ReadLeaseAsync(key, cancellationToken).ConfigureAwait(false) is not { } held || held.Holder != owner)
        {
            return;
        }

        try
        {
            await _table.DeleteEntityAsync(_partitionKey, LeaseRowFor(key), held.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Changed since the read: the lease ran out and someone else holds it now, which is theirs to keep.
        }
    }

    private readonly record struct LeaseState(string? Holder, ETag ETag);

    /// <summary>The lease row, with a holder only while its lease runs; null when there is no row.</summary>
    private async ValueTask<LeaseState?> ReadLeaseAsync(PartitionCheckpointKey key, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(_partitionKey, LeaseRowFor(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var row = response.Value!;
        var serverNow = response.GetRawResponse().Headers.Date ?? _clock.GetUtcNow();
        var writtenAt = row.Timestamp ?? DateTimeOffset.MinValue;
        var length = TimeSpan.FromMilliseconds(row.GetInt64(LeaseMillisecondsColumn) ?? 0);
        var holder = row.GetString(HolderColumn);
        return new LeaseState(string.IsNullOrEmpty(holder) || writtenAt + length <= serverNow ? null : holder, row.ETag);
    }

    private TableEntity LeaseRow(PartitionCheckpointKey key, string owner, TimeSpan lease) => new(_partitionKey, LeaseRowFor(key))
    {
        [HolderColumn] = owner,
        [LeaseMillisecondsColumn] = (long)Math.Ceiling(lease.TotalMilliseconds),
    };

    private async ValueTask<bool> TryInsertAsync(TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private async ValueTask<bool> TryReplaceAsync(TableEntity row, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    private async ValueTask EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableExists)
        {
            return;
        }

        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        _tableExists = true;
    }

    private static string RowBase(PartitionCheckpointKey key) =>
        $"{Escape(key.ProviderName)}@{Escape(key.Topic)}@{key.Partition.ToString(CultureInfo.InvariantCulture)}";

    // Table keys may not hold '/', '\', '#', '?' or control characters; percent-encoding removes all of them and stays
    // readable for the usual provider and topic names.
    private static string Escape(string value) => Uri.EscapeDataString(value);
}
