using System.Text.Json;

namespace EmissionMonitor.IntegrationTests.Cli;

public sealed class DecodeCommandTests
{
    private static readonly string[] OkKeys = ["ok", "version", "qn", "st", "cn", "pw", "mn", "crc", "flag", "pnum", "pno", "dataTime", "values", "params"];

    [Fact]
    public async Task Decode_FieldDay_PrintsOneLinePerFrameAndTheSummary()
    {
        var result = await CliRunner.RunAsync(["decode", TestData.Path("field-day-2016-08-24.h212.gz")]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int ok = lines.Count(l => l.StartsWith("{\"ok\":true", StringComparison.Ordinal));
        int failed = lines.Length - ok;
        Assert.True(ok > 190_000, $"decoded {ok}");
        Assert.Matches(@"^decoded \d+, failed \d+ \(no-header \d+, bad-length \d+, length-mismatch \d+, crc-mismatch \d+\)$", result.StdErr.Trim());
        Assert.StartsWith($"decoded {ok}, failed {failed} ", result.StdErr, StringComparison.Ordinal);

        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        foreach (var key in OkKeys)
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        Assert.Equal("2005", root.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("qn").ValueKind);
        Assert.Equal("2016-08-24T00:38:17.000", root.GetProperty("dataTime").GetString());
        Assert.Equal(231.0m, root.GetProperty("values").GetProperty("w01018-Rtd").GetDecimal());
        Assert.Equal("N", root.GetProperty("values").GetProperty("w01018-Flag").GetString());
        Assert.Equal("20160824003817000", root.GetProperty("params").GetProperty("DataTime").GetString());
    }

    [Fact]
    public async Task Decode_StdinWithBadFrames_ReportsErrorsWithDetail()
    {
        const string good = "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n";
        string input = "junk\n" + good + good.Replace("1C80", "1C81", StringComparison.Ordinal) + good[..40];
        var result = await CliRunner.RunAsync(["decode", "-"], stdin: input);
        Assert.Equal(0, result.ExitCode);
        var docs = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["no-header", "ok", "crc-mismatch", "truncated"], docs.Select(d => d.GetProperty("ok").GetBoolean() ? "ok" : d.GetProperty("error").GetString()));
        Assert.All(docs.Where(d => !d.GetProperty("ok").GetBoolean()), d => Assert.False(string.IsNullOrEmpty(d.GetProperty("detail").GetString())));
        var okDoc = docs[1];
        Assert.Equal("2017", okDoc.GetProperty("version").GetString());
        Assert.Equal(5, okDoc.GetProperty("flag").GetInt32());
        Assert.Equal("30", okDoc.GetProperty("params").GetProperty("RtdInterval").GetString());
        Assert.Equal(JsonValueKind.Null, okDoc.GetProperty("dataTime").ValueKind);
        Assert.Equal("decoded 1, failed 3 (no-header 1, truncated 1, crc-mismatch 1)", result.StdErr.Trim());
    }

    [Theory]
    [InlineData("decode", "--bogus")]
    [InlineData("frobnicate")]
    public async Task UsageErrors_ExitWith2AndNameTheProblem(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(args[^1], result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_MissingFile_IsAUsageError()
    {
        var result = await CliRunner.RunAsync(["decode", "/nonexistent/frames.h212"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/frames.h212", result.StdErr, StringComparison.Ordinal);
    }
}
