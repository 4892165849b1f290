using Microsoft.Extensions.Configuration;
using EmissionMonitor.Permits;

namespace EmissionMonitor.Tests.Permits;

/// <summary>When execution reports are due (DOMAIN.md §0.3), written out by hand.</summary>
public sealed class ReportCalendarTests
{
    [Theory]
    [InlineData("monthly", "2025-08-01", "2025-08", "2025-09-15")]
    [InlineData("monthly", "2025-12-01", "2025-12", "2026-01-15")]
    [InlineData("quarterly", "2025-07-01", "2025Q3", "2025-10-15")]
    [InlineData("quarterly", "2025-10-01", "2025Q4", "2026-01-15")]
    [InlineData("semiannual", "2025-01-01", "2025H1", "2025-07-15")]
    [InlineData("annual", "2025-01-01", "2025", "2026-01-15")]
    public void AReport_IsDueOnThe15thAfterItsPeriod(string kind, string start, string name, string due)
    {
        var report = ReportCalendar.Of(kind, DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((name, due), (report.Name, report.Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void AYearsCalendar_HoldsTheReportsDueInIt()
    {
        var (from, to) = (new DateTime(2025, 1, 1), new DateTime(2026, 1, 1));
        Assert.Equal(["2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11"],
            ReportCalendar.DueIn("monthly", from, to).Select(r => r.Name));
        Assert.Equal(["2024Q4", "2025Q1", "2025Q2", "2025Q3"], ReportCalendar.DueIn("quarterly", from, to).Select(r => r.Name));
        Assert.Equal(["2025H1"], ReportCalendar.DueIn("semiannual", from, to).Select(r => r.Name));
        Assert.Equal(["2024"], ReportCalendar.DueIn("annual", from, to).Select(r => r.Name));
        Assert.Equal(["2025Q3"], ReportCalendar.DueIn("quarterly", new DateTime(2025, 10, 15), new DateTime(2025, 10, 16)).Select(r => r.Name)); // the due day is in
    }

    [Theory]
    [InlineData("month", "2025-08", "monthly", "2025-08-01", "2025-09-01")]
    [InlineData("quarter", "2025Q3", "quarterly", "2025-07-01", "2025-10-01")]
    [InlineData("half", "2025H1", "semiannual", "2025-01-01", "2025-07-01")]
    [InlineData("year", "2025", "annual", "2025-01-01", "2026-01-01")]
    public void AnExecutionRequest_ReadsItsPeriod(string parameter, string text, string kind, string from, string to)
    {
        var request = ExecutionRequest.Parse(n => n == "enterprise" ? "QH-XN-001" : n == parameter ? text : null, Some.Registry(), out var error);
        Assert.Null(error);
        Assert.Equal((kind, from, to, text), (request!.Kind, request.Period.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            request.Period.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), request.PeriodName));
    }

    [Fact]
    public void AnExecutionRequest_RefusesTwoPeriodsOrNone_NamingTheParameter()
    {
        ExecutionRequest.Parse(n => n switch { "enterprise" => "QH-XN-001", "month" => "2025-08", "quarter" => "2025Q3", _ => null }, Some.Registry(), out var two);
        Assert.Equal("quarter", two!.Value.Parameter);
        ExecutionRequest.Parse(n => n == "enterprise" ? "QH-XN-001" : null, Some.Registry(), out var none);
        Assert.Equal("month", none!.Value.Parameter);
        ExecutionRequest.Parse(n => n == "enterprise" ? "QH-XN-001" : n == "half" ? "2025H3" : null, Some.Registry(), out var half);
        Assert.Equal("half", half!.Value.Parameter);
    }

    [Fact]
    public void AnUnknownReportKind_StopsStartUp_NamingItsKey()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Permits:ReportKinds:QH-XN-001:0"] = "weekly" }).Build();
        var e = Assert.Throws<EmissionMonitor.ConfigurationException>(() => { EmissionMonitor.Configuration.AppSettings.Bind<PermitOptions>(configuration, PermitOptions.Section); });
        Assert.Contains("Permits:ReportKinds:QH-XN-001", e.Message, StringComparison.Ordinal);
    }
}
