using EmissionMonitor.Alerts;

namespace EmissionMonitor.Tests.Alerts;

public sealed class AlertBookTests
{
    private static readonly DateTimeOffset T = new(2025, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Lifecycle_ActiveAcknowledgedCleared_OneOpenPerOutletPollutantKind()
    {
        var book = new AlertBook();
        var raised = book.Raise("exceedance", "M1", "E", "C", "a21026", 50, 35, T, T, "m")!;
        Assert.Equal(Alert.Active, raised.State);
        Assert.Equal("critical", raised.Severity);
        Assert.Null(book.Raise("exceedance", "M1", "E", "C", "a21026", 60, 35, T.AddHours(1), T.AddHours(1), "m")); // already open
        Assert.NotNull(book.Raise("exceedance", "M1", "E", "C", "a21002", 60, 50, T, T, "m")); // another pollutant

        var acked = book.Acknowledge(raised.Id, "op", T.AddMinutes(5))!;
        Assert.Equal((Alert.Acknowledged, "op"), (acked.State, acked.AcknowledgedBy));
        Assert.Null(book.Acknowledge(raised.Id, "op", T.AddMinutes(6))); // only an active alert is acknowledged

        var cleared = book.Resolve("exceedance", "M1", "a21026", T.AddHours(2))!;
        Assert.Equal(Alert.Cleared, cleared.State);
        Assert.Equal(T.AddHours(2), cleared.ClearedAt);
        Assert.Null(book.Resolve("exceedance", "M1", "a21026", T.AddHours(3)));
        Assert.NotNull(book.Raise("exceedance", "M1", "E", "C", "a21026", 50, 35, T.AddHours(4), T.AddHours(4), "m")); // a new episode
    }

    [Fact]
    public void Id_IsDerivedFromKindMnPollutantAndStart_SoTwoInstancesRaiseOne()
    {
        Assert.Equal(Alert.MakeId("exceedance", "M1", "a21026", T), Alert.MakeId("exceedance", "M1", "a21026", T));
        Assert.NotEqual(Alert.MakeId("exceedance", "M1", "a21026", T), Alert.MakeId("warning", "M1", "a21026", T));
        var book = new AlertBook();
        var a = book.Raise("silent", "M1", null, null, null, null, null, T, T, "m")!;
        book.Resolve("silent", "M1", null, T.AddHours(1));
        Assert.Null(book.Raise("silent", "M1", null, null, null, null, null, T, T.AddHours(2), "m")); // same start: not raised twice
        Assert.Equal(Alert.Cleared, book.Find(a.Id)!.State);
    }

    [Fact]
    public void ManualClear_KeepsTheCommentAndJsonHasTheContractFields()
    {
        var book = new AlertBook();
        var a = book.Raise("warning", "M1", "E", "西宁市", "a21026", 50.5, 35, T, T, "SO2 real-time 50.5 beyond 35")!;
        var cleared = book.Clear(a.Id, "op", "仪表已校准", T.AddHours(1))!;
        Assert.Contains("仪表已校准", cleared.Message, StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse(AlertJson.Serialize(cleared, new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone())).RootElement;
        foreach (var key in new[] { "id", "kind", "severity", "state", "mn", "enterprise", "city", "pollutant", "value", "limit", "raisedAt", "acknowledgedAt", "acknowledgedBy", "clearedAt", "message" })
        {
            Assert.True(json.TryGetProperty(key, out _), key);
        }

        Assert.Equal("2025-07-01T09:00:00+08:00", json.GetProperty("raisedAt").GetString());
        Assert.Equal("cleared", json.GetProperty("state").GetString());
        Assert.Equal(cleared, AlertJson.Deserialize(System.Text.Encoding.UTF8.GetString(AlertJson.Serialize(cleared, TimeZoneInfo.Utc))));
    }
}
