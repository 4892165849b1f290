using System.Text.Json;

namespace EmissionMonitor.IntegrationTests.Cli;

public sealed class DecodeCommandTests
{
    private static readonly string[] OkKeys = ["ok", "version", "qn", "st", "cn", "pw", "mn", "crc", "flag", "pnum", "pno", "rf", "encrypted", "dataTime", "values", "params"];

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

    /// <summary>HJ 212-2025 Appendix A.2 encrypted under the standard's test key (its plain length 0295 and CRC 2200 kept).</summary>
    private static string A2Encrypted()
    {
        const string plain = "##0295QN=20240520210700000;ST=31;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=9;CP=&&DataTime=20240520210600;a01011-Min=1.35,a01011-Avg=1.35,a01011-Max=1.35,a01011-Flag=N;a01012-Min=9.3,a01012-Avg=9.3,a01012-Max=9.3,a01012-Flag=N;a01014-Min=3.20,a01014-Avg=3.211,a01014-Max=3.212,a01014-Flag=N&&2200\r\n";
        return System.Text.Encoding.ASCII.GetString(EmissionMonitor.Hj212.Crypto.Hj212Cipher.Encrypt(System.Text.Encoding.ASCII.GetBytes(plain), EmissionMonitor.Hj212.Crypto.Sm4Key.Parse("0000000000000000")));
    }

    [Fact]
    public async Task Decode_WithAKey_DecryptsA2025Frame_AndSaysSo_WithoutOne_ItIsNoKey()
    {
        string frame = A2Encrypted();
        var withKey = await CliRunner.RunAsync(["decode", "--key", "0000000000000000", "-"], stdin: frame);
        Assert.Equal(0, withKey.ExitCode);
        var doc = JsonDocument.Parse(withKey.StdOut.Trim()).RootElement;
        Assert.True(doc.GetProperty("ok").GetBoolean(), withKey.StdOut);
        Assert.True(doc.GetProperty("encrypted").GetBoolean());
        Assert.Equal("2025", doc.GetProperty("version").GetString());
        Assert.Equal(3.211m, doc.GetProperty("values").GetProperty("a01014-Avg").GetDecimal());
        Assert.Equal(JsonValueKind.Null, doc.GetProperty("rf").ValueKind);
        Assert.DoesNotContain("0000000000000000", withKey.StdOut + withKey.StdErr, StringComparison.Ordinal);

        var without = await CliRunner.RunAsync(["decode", "-"], stdin: frame);
        Assert.Equal("no-key", JsonDocument.Parse(without.StdOut.Trim()).RootElement.GetProperty("error").GetString());
        Assert.Equal("decoded 0, failed 1 (no-key 1)", without.StdErr.Trim());

        var wrong = await CliRunner.RunAsync(["decode", "--key", "1111111111111111", "-"], stdin: frame);
        Assert.Equal("crc-mismatch", JsonDocument.Parse(wrong.StdOut.Trim()).RootElement.GetProperty("error").GetString());

        var bad = await CliRunner.RunAsync(["decode", "--key", "short", "-"], stdin: frame);
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Decode_WithTheConfig_UsesEachMnsRegistryKey()
    {
        string config = Some.TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), Some.RegistryJson.Replace(
            "\"password\": \"123456\",", "\"password\": \"123456\", \"sm4Key\": \"k7Qm2Xv9Lp4Rt8Wz\",", StringComparison.Ordinal));
        var hourly = Some.Hourly(flag: 9).Value("a21026", "Avg", 12.5m).Build();
        hourly = EmissionMonitor.Hj212.Packets.Hj212Decoder.Decode(System.Text.Encoding.ASCII.GetBytes(hourly.ToString())).Packet!;
        string encrypted = System.Text.Encoding.ASCII.GetString(EmissionMonitor.Hj212.Crypto.Hj212Cipher.Encrypt(
            EmissionMonitor.Hj212.Packets.Hj212Encoder.Encode(hourly), EmissionMonitor.Hj212.Crypto.Sm4Key.Parse("k7Qm2Xv9Lp4Rt8Wz")));
        var result = await CliRunner.RunAsync(["decode", "--config", config, "-"], stdin: encrypted + A2Encrypted());
        var docs = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(docs[0].GetProperty("ok").GetBoolean(), result.StdOut);
        Assert.Equal(12.5m, docs[0].GetProperty("values").GetProperty("a21026-Avg").GetDecimal());
        Assert.Equal("no-key", docs[1].GetProperty("error").GetString()); // an MN the registry has no key for
    }
}
