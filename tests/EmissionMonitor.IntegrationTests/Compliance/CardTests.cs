using System.Text;
using System.Text.Json;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;

namespace EmissionMonitor.IntegrationTests.Compliance;

public sealed class CardTests
{
    private static readonly CardEngine Engine = new(new CardOptions());

    private static (string, IReadOnlyList<CardReason>) Q(string quarter, params string[] reasons) =>
        (quarter, reasons.Select(r => new CardReason(r, "a21026", null, "")).ToList());

    [Fact]
    public void YellowThenStillYellowWorthy_BecomesRed_AndRedRepeats()
    {
        var cards = Engine.Cards("E", [Q("2025Q1"), Q("2025Q2", "r"), Q("2025Q3", "r"), Q("2025Q4", "r")], []);
        Assert.Equal(["2025Q2:yellow", "2025Q3:red", "2025Q4:red"], cards.Select(c => $"{c.Quarter}:{c.Colour}"));
    }

    [Fact]
    public void AQuarterWithoutConditions_IsNotListed_AndResetsEscalation()
    {
        var cards = Engine.Cards("E", [Q("2025Q1", "r"), Q("2025Q2"), Q("2025Q3", "r")], []);
        Assert.Equal(["2025Q1:yellow", "2025Q3:yellow"], cards.Select(c => $"{c.Quarter}:{c.Colour}"));
        var longer = new CardEngine(new CardOptions { RectificationQuarters = 2 }).Cards("E", [Q("2025Q1", "r"), Q("2025Q2"), Q("2025Q3", "r")], []);
        Assert.Equal(["2025Q1:yellow", "2025Q3:red"], longer.Select(c => $"{c.Quarter}:{c.Colour}"));
    }

    [Fact]
    public void LiftedCard_StaysListedWithItsLift_AndDoesNotEscalate()
    {
        var lift = new CardLift("E", "2025Q2", DateTimeOffset.Parse("2025-08-01T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "operator-1", "rectified");
        var cards = Engine.Cards("E", [Q("2025Q2", "r"), Q("2025Q3", "r")], [lift]);
        Assert.Equal(lift, cards[0].Lifted);
        Assert.Equal(Card.Yellow, cards[1].Colour);
    }

    private static CardDecision Decided(string quarter, string decision, string colour = Card.Yellow, params string[] reasons) =>
        new("E", quarter, decision, DateTimeOffset.Parse("2025-10-10T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "王工", "x", colour,
            reasons.Length == 0 ? ["exceedance-rate:a21026:QH0001:25.0%>=20%"] : reasons);

    [Fact]
    public void ADismissedCard_DoesNotEscalate_AConfirmedOneDoes()
    {
        var dismissed = Engine.Cards("E", [Q("2025Q2", "r"), Q("2025Q3", "r")], [], [Decided("2025Q2", CardDecision.Dismissed)]);
        Assert.Equal(["2025Q2:yellow:dismissed", "2025Q3:yellow:proposed"], dismissed.Select(c => $"{c.Quarter}:{c.Colour}:{c.DecisionState}"));
        var confirmed = Engine.Cards("E", [Q("2025Q2", "r"), Q("2025Q3", "r")], [], [Decided("2025Q2", CardDecision.Confirmed)]);
        Assert.Equal(["2025Q2:yellow:confirmed", "2025Q3:red:proposed"], confirmed.Select(c => $"{c.Quarter}:{c.Colour}:{c.DecisionState}"));
        Assert.Equal("王工", confirmed[0].Decision!.By);
    }

    [Fact]
    public void AConfirmedCardWhoseConditionsLateDataRemoved_StaysAsConfirmed_UntilLifted()
    {
        var decision = Decided("2025Q2", CardDecision.Confirmed, Card.Red, "over-total:a21002::131.2t>122.4t");
        var cards = Engine.Cards("E", [Q("2025Q2"), Q("2025Q3", "r")], [], [decision]);
        Assert.Equal(2, cards.Count);
        Assert.False(cards[0].ConditionsMet);
        Assert.Equal((Card.Red, "over-total:a21002::131.2t>122.4t"), (cards[0].Colour, cards[0].Reasons.Single().ToString()));
        Assert.True(cards[1].ConditionsMet);
        Assert.Equal(Card.Red, cards[1].Colour); // still a standing card before it
        var lift = new CardLift("E", "2025Q2", decision.At.AddDays(5), "operator-1", "rectified");
        Assert.Equal(["2025Q3:yellow"], Engine.Cards("E", [Q("2025Q2"), Q("2025Q3", "r")], [lift], [decision]).Select(c => $"{c.Quarter}:{c.Colour}"));
        // A dismissed or merely proposed card without conditions is not listed.
        Assert.Empty(Engine.Cards("E", [Q("2025Q2")], [], [Decided("2025Q2", CardDecision.Dismissed)]));
    }

    [Fact]
    public void TheRectificationDeadline_IsTheEndOfTheQuarterAfter()
    {
        var card = Engine.Cards("E", [Q("2025Q4", "r")], []).Single();
        Assert.Equal(new DateOnly(2026, 3, 31), card.RectifyBy);
        Assert.Equal(new DateOnly(2026, 6, 30), new CardEngine(new CardOptions { RectificationQuarters = 2 }).RectifyBy("2025Q4"));
    }

    [Fact]
    public void Reasons_AreWrittenAsTheContractShows()
    {
        Assert.Equal("exceedance-rate:a21026:QH0001:25.0%>=20%", Engine.ExceedanceReason("a21026", "QH0001", 1, 4)?.ToString());
        Assert.Null(Engine.ExceedanceReason("a21026", "QH0001", 19, 100));
        Assert.Equal("exceedance-rate:a21026:QH0001:20.0%>=20%", Engine.ExceedanceReason("a21026", "QH0001", 20, 100)?.ToString());
        Assert.Equal("over-total:a21002::131.2t>122.4t", CardEngine.OverTotalReason("a21002", 131_200, 122_400).ToString());
    }

    [Fact]
    public async Task CardsReport_FromImportedQuarters_YellowThenRed_AndALiftedCardDoesNotEscalate()
    {
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config"), data = Path.Combine(root, "data"), file = Path.Combine(root, "frames.h212");
        Directory.CreateDirectory(config);
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson);
        var frames = new StringBuilder();
        // 2025Q2 and Q3: SO2 above 35 in one hour out of four (25 %); Q1 compliant.
        for (var t = new DateTime(2025, 1, 1); t < new DateTime(2025, 10, 1); t = t.AddHours(1))
        {
            bool exceed = t >= new DateTime(2025, 4, 1) && t.Hour % 4 == 0;
            frames.Append(new Hj212Builder { St = "31", Cn = "2061", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }
                .DataTime(t).Value("a21026", "ZsAvg", exceed ? 50m : 20m).Value("a21026", "Flag", "N").Build().ToString());
        }

        await File.WriteAllTextAsync(file, frames.ToString());
        Assert.Equal(0, (await CliRunner.RunAsync(["import", file, "--config", config, "--data", data])).ExitCode);

        var cards = await CardsAsync();
        Assert.Equal(["2025Q2:yellow", "2025Q3:red"], cards.Select(c => $"{c.GetProperty("quarter").GetString()}:{c.GetProperty("card").GetString()}"));
        Assert.Equal("exceedance-rate:a21026:QHXN0010001:25.0%>=20%", cards[0].GetProperty("reasons")[0].GetString());
        Assert.Equal(JsonValueKind.Null, cards[0].GetProperty("lifted").ValueKind);

        await using (var store = new SqliteStore(data))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.AddCardLiftAsync(new CardLift("QH-XN-001", "2025Q2", DateTimeOffset.Parse("2025-07-15T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "operator-1", "整改完成"), CancellationToken.None);
        }

        var after = await CardsAsync();
        Assert.Equal(["2025Q2:yellow", "2025Q3:yellow"], after.Select(c => $"{c.GetProperty("quarter").GetString()}:{c.GetProperty("card").GetString()}"));
        Assert.Equal("operator-1", after[0].GetProperty("lifted").GetProperty("by").GetString());
        Assert.Equal("2025-07-15T09:00:00+08:00", after[0].GetProperty("lifted").GetProperty("at").GetString());

        async Task<List<JsonElement>> CardsAsync()
        {
            var result = await CliRunner.RunAsync(["report", "cards", "--from", "2025-01-01", "--to", "2025-10-01", "--format", "json", "--config", config, "--data", data]);
            Assert.True(result.ExitCode == 0, result.StdErr);
            return JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }
    }
}
