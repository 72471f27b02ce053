using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Grains.Flush;
using HealthcareOrleans.Medallion.Flush;

namespace HealthcareOrleans.Grains.Tests.Lake;

public sealed class FlushBackoffTests
{
    [Fact]
    public void Retry_delays_double_up_to_the_maximum_and_reset_after_a_success()
    {
        var backoff = new FlushBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

        Assert.Equal([2, 4, 8, 10, 10], Enumerable.Range(0, 5).Select(_ => backoff.Failed().TotalSeconds));
        Assert.Equal(5, backoff.ConsecutiveFailures);
        backoff.Succeeded();
        Assert.Equal(0, backoff.ConsecutiveFailures);
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Failed());
    }

    [Fact]
    public void A_failure_keeps_the_last_success_and_shows_the_error_until_the_next_success()
    {
        var book = new FlushStatusBook(LakeLayers.Silver, "silver-flush");
        var at = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        book.Succeeded([new FlushStatus { Layer = LakeLayers.Silver, Table = LakeTables.SilverQuarantine, RowsLastFlush = 3 }], at, TimeSpan.FromMilliseconds(40), at.AddSeconds(10));

        var failed = Assert.Single(book.Failed(new IOException("disk full"), 2, at.AddSeconds(10), at.AddSeconds(14)));
        Assert.Equal(at, failed.LastSuccessAt);
        Assert.Equal("IOException: disk full", failed.LastError);
        Assert.Equal(2, failed.ConsecutiveFailures);
        Assert.Equal(at.AddSeconds(14), failed.NextAttemptAt);

        var recovered = Assert.Single(book.Succeeded([new FlushStatus { Layer = LakeLayers.Silver, Table = LakeTables.SilverQuarantine }], at.AddSeconds(14), TimeSpan.Zero, at.AddSeconds(24)));
        Assert.Null(recovered.LastError);
        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.Equal("silver-flush", recovered.Writer);
    }

    [Fact]
    public void A_failure_before_any_success_is_shown_on_the_layer()
    {
        var book = new FlushStatusBook(LakeLayers.Gold, "gold-flush");
        var status = Assert.Single(book.Failed(new InvalidOperationException("no lake"), 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(2)));
        Assert.Equal("gold/*", status.Table);
        Assert.Equal(1, status.ConsecutiveFailures);
    }

    [Fact]
    public void The_first_success_replaces_the_layer_wide_failure()
    {
        var book = new FlushStatusBook(LakeLayers.Bronze, "silo-1");
        book.Failed(new IOException("commit not written"), 2, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(2));

        var current = book.Succeeded([new FlushStatus { Layer = LakeLayers.Bronze, Table = LakeTables.BronzePatientFlowRaw }], DateTimeOffset.UnixEpoch.AddSeconds(2), TimeSpan.Zero, DateTimeOffset.UnixEpoch.AddSeconds(7));

        var status = Assert.Single(current);
        Assert.Equal(LakeTables.BronzePatientFlowRaw, status.Table);
        Assert.Equal(0, status.ConsecutiveFailures);
    }

    [Fact]
    public async Task The_status_grain_forgets_a_writers_layer_wide_failure_once_it_reports_a_table()
    {
        var grain = new LakeStatusGrain(TimeProvider.System);
        await grain.ReportAsync(new FlushStatus { Layer = LakeLayers.Bronze, Table = FlushStatusBook.UnknownTables(LakeLayers.Bronze), Writer = "silo-1", ConsecutiveFailures = 2 });
        await grain.ReportAsync(new FlushStatus { Layer = LakeLayers.Bronze, Table = FlushStatusBook.UnknownTables(LakeLayers.Bronze), Writer = "silo-2", ConsecutiveFailures = 1 });

        await grain.ReportAsync(new FlushStatus { Layer = LakeLayers.Bronze, Table = LakeTables.BronzePatientFlowRaw, Writer = "silo-1" });

        var statuses = await grain.GetAsync();
        Assert.Equal([(LakeTables.BronzePatientFlowRaw, "silo-1", 0), (FlushStatusBook.UnknownTables(LakeLayers.Bronze), "silo-2", 1)],
            statuses.Select(s => (s.Table, s.Writer, s.ConsecutiveFailures)).OrderBy(s => s.Writer));
    }
}
