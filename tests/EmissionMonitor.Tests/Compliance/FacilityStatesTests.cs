using EmissionMonitor.Compliance.Facilities;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Tests.Compliance;

/// <summary>Facility states from values (DOMAIN.md §0.4), written out by hand: running above onAbove, stopped at or below, unknown without a value for StaleAfter.</summary>
public sealed class FacilityStatesTests
{
    private static readonly Facility Fan = new("fan", "脱硫风机", Facility.Treatment, "d30106", "A", 5, ["boiler"], ["QHXN0010001"]);
    private static readonly DateTime T0 = new(2026, 3, 1, 8, 0, 0);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(15);

    private static FacilitySample At(int minute, double value) => new(T0.AddMinutes(minute), value);

    private static string Text(IEnumerable<FacilityEpisode> episodes) =>
        string.Join(" | ", episodes.Select(e => $"{e.State} {(e.Start - T0).TotalMinutes}-{(e.End - T0).TotalMinutes} {e.Min}..{e.Max} n{e.Samples}"));

    [Fact]
    public void ValuesEveryMinute_MakeRunningAndStoppedEpisodes_AndSilenceIsUnknownAfterStaleAfter()
    {
        var samples = Enumerable.Range(0, 10).Select(m => At(m, 12)).Concat(Enumerable.Range(10, 10).Select(m => At(m, m == 15 ? 0.5 : 2))).ToList();
        var episodes = FacilityStates.Episodes(Fan, samples, T0, T0.AddMinutes(60), Stale);
        // Running 0–10, stopped 10–34 (the last value at 19 holds 15 minutes), then unknown.
        Assert.Equal("running 0-10 12..12 n10 | stopped 10-34 0.5..2 n10 | unknown 34-60 .. n0", Text(episodes));
    }

    [Fact]
    public void AWindowStartsWithTheValueBeforeIt_AndAGapLongerThanStaleAfterIsUnknown()
    {
        var samples = new[] { At(-5, 9), At(30, 9), At(31, 1) };
        var episodes = FacilityStates.Episodes(Fan, samples, T0, T0.AddMinutes(40), Stale);
        Assert.Equal("running 0-10 9..9 n1 | unknown 10-30 .. n0 | running 30-31 9..9 n1 | stopped 31-40 1..1 n1", Text(episodes));
    }

    [Fact]
    public void TheValueAtOnAbove_IsStopped_AndTheStateNowDependsOnHowOldTheLatestValueIs()
    {
        Assert.Equal(FacilityStates.Stopped, FacilityStates.At(Fan, At(0, 5), T0.AddMinutes(1), Stale));
        Assert.Equal(FacilityStates.Running, FacilityStates.At(Fan, At(0, 5.01), T0.AddMinutes(14), Stale));
        Assert.Equal(FacilityStates.Unknown, FacilityStates.At(Fan, At(0, 0), T0.AddMinutes(15), Stale)); // stale: never "stopped"
        Assert.Equal(FacilityStates.Unknown, FacilityStates.At(Fan, null, T0, Stale));
    }

    [Fact]
    public void Together_GivesTheSpansLongEnough()
    {
        var boiler = new FacilityEpisode[] { new("boiler", "running", T0, T0.AddMinutes(60), 80, 90, 60) };
        var fan = new FacilityEpisode[]
        {
            new("fan", "running", T0, T0.AddMinutes(10), 9, 9, 10), new("fan", "stopped", T0.AddMinutes(10), T0.AddMinutes(20), 1, 1, 10),
            new("fan", "running", T0.AddMinutes(20), T0.AddMinutes(30), 9, 9, 10), new("fan", "stopped", T0.AddMinutes(30), T0.AddMinutes(50), 1, 1, 20),
            new("fan", "unknown", T0.AddMinutes(50), T0.AddMinutes(60), null, null, 0),
        };
        var spans = FacilityStates.Together(boiler, "running", fan, "stopped", TimeSpan.FromMinutes(15));
        Assert.Equal([(T0.AddMinutes(30), T0.AddMinutes(50))], spans); // 10 minutes is too short; unknown is not stopped
    }

    [Fact]
    public void TheRegistry_ReadsFacilities_AndRefusesWhatCannotBe()
    {
        static string Json(string facilities) => $$"""
            { "enterprises": [ { "id": "E1", "name": "某厂", "city": "西宁市",
                "outlets": [ { "mn": "MN000001", "password": "p", "kind": "gas", "name": "1号排口", "limits": { "a21026": 35 } } ],
                "facilities": {{facilities}} } ] }
            """;
        var (registry, problems) = RegistryLoader.Parse(Json("""
            [ { "id": "boiler", "name": "1号锅炉", "kind": "production", "code": "d20105", "unit": "A", "onAbove": 20, "outlets": ["MN000001"] },
              { "id": "fan", "name": "脱硫风机", "kind": "treatment", "code": "d30106", "onAbove": 5, "serves": ["boiler"], "outlets": ["MN000001"] } ]
            """), "test");
        Assert.Empty(problems);
        var facilities = registry!.Enterprises[0].Facilities;
        Assert.Equal(["boiler", "fan"], facilities.Select(f => f.Id));
        Assert.Equal(["boiler"], facilities[1].Serves);
        Assert.Equal((5.0, "d30106", "treatment"), (facilities[1].OnAbove, facilities[1].Code, facilities[1].Kind));

        var (_, bad) = RegistryLoader.Parse(Json("""
            [ { "id": "boiler", "name": "1号锅炉", "kind": "production", "code": "d20105", "onAbove": 20, "outlets": ["MN000001"] },
              { "id": "fan", "name": "风机", "kind": "treatment", "code": "d20105", "onAbove": 5, "serves": ["kiln"], "outlets": ["MN999999"] },
              { "id": "x", "name": "x", "kind": "storage", "code": "D-1", "outlets": [] } ]
            """), "test");
        Assert.Contains(bad, p => p.Contains("serves kiln, which is not a production facility", StringComparison.Ordinal));
        Assert.Contains(bad, p => p.Contains("MN999999 is not an outlet of this enterprise", StringComparison.Ordinal));
        Assert.Contains(bad, p => p.Contains("kind must be production or treatment", StringComparison.Ordinal));
        Assert.Contains(bad, p => p.Contains("code D-1 is not a code", StringComparison.Ordinal));
        Assert.Contains(bad, p => p.Contains("needs onAbove", StringComparison.Ordinal));
    }
}
