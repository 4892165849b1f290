using System.Reflection;
using EmissionMonitor.Checks;
using EmissionMonitor.Compliance.Anomalies;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Compliance.Rates;
using EmissionMonitor.Hj212;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Tests.Checks;

/// <summary>
/// The catalogue of checks names every code the service writes: each decode error, intake reason,
/// anomaly kind, mark effect and hour reason declared in the code has an entry with a Chinese and an
/// English sentence and a source — a new reason without one fails here.
/// </summary>
public sealed class CheckCatalogueTests
{
    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    [Theory]
    [InlineData(typeof(Hj212Errors), CheckCatalogue.Decode)]
    [InlineData(typeof(Reasons), CheckCatalogue.Intake)]
    [InlineData(typeof(AnomalyKinds), CheckCatalogue.Anomaly)]
    [InlineData(typeof(MarkEffect), CheckCatalogue.MarkEffect)]
    [InlineData(typeof(HourReasons), CheckCatalogue.Validity)]
    public void EveryCodeTheServiceWrites_HasItsEntry(Type declaring, string category)
    {
        var codes = Constants(declaring).ToList();
        Assert.NotEmpty(codes);
        foreach (string code in codes)
        {
            var check = CheckCatalogue.Find(code);
            Assert.True(check is not null, $"{declaring.Name}: '{code}' is not in the catalogue");
            Assert.Equal(category, check!.Category);
        }
    }

    [Fact]
    public void EveryEntry_HasASentenceInEachLanguage_AndASource()
    {
        Assert.Equal(CheckCatalogue.All.Count, CheckCatalogue.All.Select(c => c.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(CheckCatalogue.All, c =>
        {
            Assert.Contains(c.Category, CheckCatalogue.Categories);
            Assert.Matches("^[a-zA-Z][a-zA-Z0-9-]*$", c.Code);
            Assert.Contains(c.Zh, ch => ch is >= '\u4e00' and <= '\u9fff');
            Assert.DoesNotContain(c.En, ch => ch is >= '\u4e00' and <= '\u9fff');
            Assert.False(string.IsNullOrWhiteSpace(c.Source));
        });
        Assert.Equal("CRC校验不符：报文在传输中损坏或校验算法错误。", CheckCatalogue.Sentence("crc-mismatch", "zh"));
        Assert.Equal("not-a-code", CheckCatalogue.Sentence("not-a-code", "en"));
    }

    [Theory]
    [InlineData(null, "N", HourReasons.NoValue)]
    [InlineData(null, "D", HourReasons.InvalidFlag)]
    [InlineData("Avg out-of-range", "N", HourReasons.OutOfRange)]
    [InlineData("Avg not-finite", "N", HourReasons.NotFinite)]
    public void AnInvalidHour_HasTheCodeOfItsReason(string? invalid, string flag, string expected) =>
        Assert.Equal(expected, HourReasons.OfInvalid(invalid, flag));
}
