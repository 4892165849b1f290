using EmissionMonitor.Alerts;
using EmissionMonitor.TestSupport;

namespace EmissionMonitor.Tests.Alerts;

/// <summary>The alert book's bounds: a per-outlet hourly budget with one flood alert, and only the newest cleared alerts in memory; the fair evaluation queue.</summary>
public sealed class AlertFloodTests
{
    private static readonly DateTimeOffset T = new(2025, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void AnOutletBeyondItsHourlyBudget_RaisesOneFloodAlert_ThatStandsForTheRest_AndEndsWhenTheHourIsQuiet()
    {
        var book = new AlertBook(new AlertOptions { MaxNewPerOutletPerHour = 5 });
        var raised = new List<Alert>();
        for (int i = 0; i < 40; i++)
        {
            var at = T.AddSeconds(i * 10);
            if (book.Raise("warning", "M1", "E", "C", "a21026", 50, 35, at, at, "m") is { } a)
            {
                raised.Add(a);
            }

            book.Resolve("warning", "M1", "a21026", at.AddSeconds(5));
        }

        Assert.Equal(5, raised.Count(a => a.Kind == "warning"));
        var flood = Assert.Single(raised, a => a.Kind == "flood");
        Assert.Equal(("critical", "M1"), (flood.Severity, flood.Mn));

        // Another outlet is not touched by M1's flood.
        Assert.NotNull(book.Raise("exceedance", "M2", "E2", "C", "w01018", 80, 50, T, T.AddMinutes(5), "m"));

        // Within the hour the flood stands; an hour later it ends with the count it stood for.
        Assert.Empty(book.EndFloods(T.AddMinutes(30)));
        var ended = Assert.Single(book.EndFloods(T.AddHours(1).AddMinutes(10)));
        Assert.Equal(("flood", Alert.Cleared, 35.0), (ended.Kind, ended.State, ended.Value));
        Assert.Equal("35", ended.Params!["held"]);
        Assert.NotNull(book.Raise("warning", "M1", "E", "C", "a21026", 50, 35, T.AddHours(2), T.AddHours(2), "m"));
    }

    [Fact]
    public void ClearedAlerts_BeyondRecentInMemory_AreForgottenOldestFirst_OpenOnesNever()
    {
        var book = new AlertBook(new AlertOptions { RecentInMemory = 10, MaxNewPerOutletPerHour = 0 });
        var open = book.Raise("silent", "M0", null, null, null, null, null, T, T, "m")!;
        for (int i = 0; i < 100; i++)
        {
            var at = T.AddMinutes(i);
            book.Raise("warning", "M1", "E", "C", "a21026", 50, 35, at, at, "m");
            book.Resolve("warning", "M1", "a21026", at.AddSeconds(30));
        }

        Assert.Equal(11, book.Count);
        Assert.NotNull(book.Find(open.Id));
        Assert.NotNull(book.Find(Alert.MakeId("warning", "M1", "a21026", T.AddMinutes(99))));
        Assert.Null(book.Find(Alert.MakeId("warning", "M1", "a21026", T)));

        var loaded = new AlertBook(new AlertOptions { RecentInMemory = 3 });
        loaded.Load(book.All());
        Assert.Equal(4, loaded.Count);
        Assert.NotNull(loaded.Find(open.Id));
    }

    [Fact]
    public void TheFairQueue_ServesOutletsInTurn_AndAFloodDropsOnlyItsOwnOldest()
    {
        var queue = new FairQueue<int>(maxPerKey: 100);
        for (int i = 0; i < 1000; i++)
        {
            queue.Enqueue("flood", i);
        }

        queue.Enqueue("quiet", -1);
        Assert.True(queue.TryTake(2, out var first));
        Assert.Equal([900, -1], first); // the flood's oldest kept item, then the quiet outlet at once
        Assert.Equal(900, queue.Dropped);
        Assert.Equal(99, queue.Count);
        Assert.True(queue.TryTake(1000, out var rest));
        Assert.Equal(Enumerable.Range(901, 99), rest);
        Assert.False(queue.TryTake(10, out _));
    }

    [Fact]
    public void BeyondItsShareOfMemory_AnOutletsBacklogWaitsOnDiskInOrder_NothingIsDropped_AndTheFileGoes()
    {
        string folder = Some.TempDirectory();
        using var spill = new BacklogSpill(folder, maxBytes: 1 << 20);
        var overflow = new FramesOnDisk(spill);
        var queue = new FairQueue<int>(maxPerKey: 10, overflow);
        for (int i = 0; i < 500; i++)
        {
            queue.Enqueue("flood", i);
        }

        queue.Enqueue("quiet", -1);
        Assert.Equal(501, queue.Count);
        Assert.True(Directory.GetFiles(folder).Length == 1, "the flood's later items are on disk");
        Assert.True(queue.TryTake(2, out var first));
        Assert.Equal([0, -1], first);
        var rest = new List<int>();
        while (queue.TryTake(7, out var some))
        {
            rest.AddRange(some);
        }

        Assert.Equal(Enumerable.Range(1, 499), rest);
        Assert.Equal(0, queue.Dropped);
        Assert.Empty(Directory.GetFiles(folder));

        // A full file drops (and counts) what does not fit — only that outlet's.
        using var small = new BacklogSpill(Path.Combine(folder, "small"), maxBytes: 200);
        var tight = new FairQueue<int>(maxPerKey: 2, new FramesOnDisk(small));
        for (int i = 0; i < 50; i++)
        {
            tight.Enqueue("flood", i);
        }

        Assert.True(tight.Dropped > 0);
        Assert.True(tight.TryTake(100, out var kept));
        Assert.Equal(kept.OrderBy(x => x), kept);
        Assert.Equal(50 - tight.Dropped, kept.Count);
    }

    /// <summary>Integers through the real spill files, as frames whose raw bytes carry the number.</summary>
    private sealed class FramesOnDisk(BacklogSpill spill) : IOverflow<int>
    {
        public bool Put(string key, int item) =>
            spill.Put(key, new EmissionMonitor.Intake.ReceivedFrame(BitConverter.GetBytes(item), EmissionMonitor.Intake.Transport.Tcp, "p", T),
                new EmissionMonitor.Storage.StoredOutcome(item, "accepted", null, 1));

        public bool TryTake(string key, out int item)
        {
            item = 0;
            if (!spill.TryTake(key, out var kept))
            {
                return false;
            }

            Assert.Equal(("p", T, "accepted"), (kept.Frame.Peer, kept.Frame.ReceivedAt, kept.Outcome.Status));
            item = BitConverter.ToInt32(kept.Frame.Raw.Span);
            Assert.Equal(item, kept.Outcome.FrameId);
            return true;
        }
    }
}
