using EmissionMonitor.Compliance.Anomalies;
using EmissionMonitor.Orders;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Tests.Storage;

/// <summary>A kind of keyed record: its keys read from the record, its JSON read back whole, and no record read as another kind.</summary>
public sealed class RecordKindTests
{
    [Fact]
    public void An_order_keeps_its_keys_and_comes_back_whole()
    {
        var order = new SupervisionOrder
        {
            Id = "ord-1", Mn = "MN1", Enterprise = "E1", Deadline = new DateTime(2026, 12, 10, 17, 0, 0), Text = "整改", CreatedBy = "op",
            CreatedAt = new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero), State = SupervisionOrder.Answered,
            History = [new OrderEvent(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), "企业", "answered", "已整改")],
        };

        var document = SupervisionOrder.Records.ToDocument(order);
        var back = SupervisionOrder.Records.FromDocument(document);

        Assert.Equal(("order", "ord-1", "MN1", "answered", order.CreatedAt), (document.Kind, document.Id, document.Mn, document.State, document.At));
        Assert.Equal((order.Text, order.Deadline, order.State), (back.Text, back.Deadline, back.State));
        Assert.Equal("已整改", Assert.Single(back.History).Comment);
    }

    [Fact]
    public void An_episode_is_ongoing_until_it_ends_and_is_never_read_as_an_order()
    {
        var episode = new AnomalyEpisode("a1", "MN1", "E1", "西宁市", "a21026", "constant", "hourly", new DateTime(2026, 12, 1), null, 5, DateTimeOffset.UnixEpoch);

        Assert.Equal("ongoing", DocumentRecords.AnomalyEpisodes.ToDocument(episode).State);
        var ended = DocumentRecords.AnomalyEpisodes.ToDocument(episode with { End = new DateTime(2026, 12, 2) });
        Assert.Equal("ended", ended.State);
        Assert.Equal(new DateTime(2026, 12, 2), DocumentRecords.AnomalyEpisodes.FromDocument(ended).End);
        Assert.Throws<ArgumentException>(() => SupervisionOrder.Records.FromDocument(ended));
    }
}
