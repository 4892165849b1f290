using EmissionMonitor.Reports;

namespace EmissionMonitor.Tests.Reports;

/// <summary>The one reading of a report request (HTTP query and command line alike).</summary>
public sealed class ReportRequestParserTests
{
    private static readonly DateTime Now = new(2025, 8, 15, 10, 30, 0);

    private static (ReportRequest? Request, ReportRequestError? Error) Parse(string kind, params (string Name, string Value)[] values)
    {
        var request = ReportRequestParser.Parse(kind, name => values.FirstOrDefault(v => v.Name == name).Value, Some.Registry(), Now, out var error);
        return (request, error);
    }

    [Fact]
    public void AGoodRequest_HasItsPeriodFiltersAndGrouping_AndTheCurrentQuarterSoFarByDefault()
    {
        var (request, error) = Parse("rates", ("city", "西宁市"), ("mn", "QHXN0010001"), ("by", "pollutant"), ("pollutant", "a21026"));
        Assert.Null(error);
        Assert.Equal(("rates", "西宁市", "QHXN0010001", "pollutant", "a21026"), (request!.Kind, request.City, request.Mn, request.By, request.Pollutant));
        Assert.Equal((new DateTime(2025, 7, 1), Now), (request.Period.From, request.Period.To));
        Assert.Equal((new DateTime(2025, 4, 1), new DateTime(2025, 7, 1)), (Parse("totals", ("quarter", "2025Q2")).Request!.Period.From, Parse("totals", ("quarter", "2025Q2")).Request!.Period.To));
    }

    [Theory]
    [InlineData("by", "planet", "by")]
    [InlineData("enterprise", "NOPE", "enterprise")]
    [InlineData("mn", "NOPE", "mn")]
    [InlineData("city", "火星市", "city")]
    [InlineData("pollutant", "SO2", "pollutant")]
    [InlineData("from", "yesterday", "from")]
    [InlineData("quarter", "2025Q5", "quarter")]
    public void ABadValue_IsAnErrorNamingItsParameter(string name, string value, string parameter)
    {
        var (request, error) = Parse("rates", (name, value));
        Assert.Null(request);
        Assert.Equal(parameter, error!.Parameter);
    }

    [Fact]
    public void HoursNeedAnOutlet_AndAQuarterIsNotCombinedWithFromTo()
    {
        Assert.Equal("mn", Parse("hours").Error!.Parameter);
        Assert.Equal("quarter", Parse("rates", ("quarter", "2025Q2"), ("from", "2025-04-01")).Error!.Parameter);
        Assert.Equal("to", Parse("rates", ("from", "2025-05-01"), ("to", "2025-04-01")).Error!.Parameter);
    }
}
