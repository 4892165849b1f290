using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;

namespace EmissionMonitor.IntegrationTests.Cli;

public sealed class ImportCommandTests
{
    private static readonly HashSet<string> DataCns = ["2011", "2051", "2061", "2031", "2021", "2041"];

    [Fact]
    public async Task Import_FieldDay_AcceptsEveryUsableFrame_ArchivesTheRest_AndASecondImportAddsNothing()
    {
        string work = Some.TempDirectory();
        string config = Path.Combine(work, "config");
        string data = Path.Combine(work, "data");
        Directory.CreateDirectory(config);

        // Expectations made here, from the library's decoder: the registry holds every MN of a
        // CRC-valid frame with the password it uses, so every such frame must be accepted unless a
        // data frame's DataTime is unusable.
        var day = ReadAll(TestData.Path("field-day-2016-08-24.h212.gz"));
        var passwords = new Dictionary<string, string>();
        int chunks = 0, usable = 0;
        foreach (var chunk in Hj212Framer.Split(day))
        {
            chunks++;
            if (!chunk.IsFrame || Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan) is not { IsOk: true, Packet: var p })
            {
                continue;
            }

            if (p!.Mn is { } mn && p.Pw is { } pw && p.Cn is not null)
            {
                passwords.TryAdd(mn, pw);
                bool timeOk = !DataCns.Contains(p.Cn) || p.DataTime is not null;
                if (timeOk && passwords[mn] == pw)
                {
                    usable++;
                }
            }
        }

        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"), RegistryFor(passwords));
        var first = await CliRunner.RunAsync(["import", TestData.Path("field-day-2016-08-24.h212.gz"), "--config", config, "--data", data], timeout: TimeSpan.FromMinutes(5));
        Assert.True(first.ExitCode == 0, first.StdErr + first.StdOut);
        var (accepted, duplicates, rejected) = Summary(first.StdOut);
        Assert.Equal(chunks, accepted + duplicates + rejected);
        Assert.Equal(usable, accepted + duplicates);

        await using var store = new SqliteStore(data);
        await store.InitializeAsync(CancellationToken.None);
        var counts = await store.CountAsync(CancellationToken.None);
        Assert.Equal(chunks, counts.Frames);
        Assert.True(counts.Readings > 500_000, $"{counts.Readings} readings");
        Assert.Equal(rejected, counts.FramesByStatus["rejected"]);

        var second = await CliRunner.RunAsync(["import", TestData.Path("field-day-2016-08-24.h212.gz"), "--config", config, "--data", data], timeout: TimeSpan.FromMinutes(5));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("new readings 0", second.StdOut, StringComparison.Ordinal);
        var again = await store.CountAsync(CancellationToken.None);
        Assert.Equal(counts.Readings, again.Readings);
        Assert.Equal(2 * chunks, again.Frames);
    }

    private static (long Accepted, long Duplicates, long Rejected) Summary(string stdout)
    {
        var m = Regex.Match(stdout, @"accepted (\d+), duplicates (\d+), rejected (\d+)");
        Assert.True(m.Success, stdout);
        return (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value));
    }

    private static string RegistryFor(Dictionary<string, string> passwords)
    {
        var sb = new StringBuilder("{\"enterprises\":[{\"id\":\"FIELD\",\"name\":\"field day\",\"city\":\"test\",\"outlets\":[");
        sb.AppendJoin(",", passwords.Select(p => $"{{\"mn\":\"{p.Key}\",\"password\":\"{p.Value}\",\"kind\":\"{(p.Key.Contains("0131", StringComparison.Ordinal) ? "gas" : "water")}\"}}"));
        return sb.Append("]}]}").ToString();
    }

    private static byte[] ReadAll(string gz)
    {
        using var stream = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }
}
