using System.Net.Sockets;
using System.Text;

namespace EmissionMonitor.IntegrationTests.Reliability;

/// <summary>
/// A slow reader of a large file (a phone on a poor link downloading a quarter's exceedances) holds
/// the file's slot for as long as it reads — and only that: the dashboard's reports have slots of
/// their own (Api:MaxConcurrentReports), files theirs (Api:MaxConcurrentFiles).
/// </summary>
public sealed class SlowDownloadTests
{
    private const string Operator = "slow-operator-token";
    private const string Inspector = "slow-inspector-token";

    [Fact]
    public async Task ASlowReaderOfALargeFile_HoldsAFileSlot_AndTheReportsStillAnswer()
    {
        string work = Some.TempDirectory();
        string registry = Path.Combine(work, "stations.json");
        string frames = Path.Combine(work, "july.h212.gz");
        await CliAsync("generate", "--outlets", "100", "--days", "31", "--from", "2025-07-01", "--out", frames, "--registry-out", registry);
        await using var service = await ServiceFixture.StartAsync(
            new Dictionary<string, string?>
            {
                ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator",
                ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
                // One slot each and no queue: whatever holds a slot turns the next request of its kind away.
                ["Api:MaxConcurrentReports"] = "1", ["Api:MaxQueuedReports"] = "0", ["Api:MaxConcurrentFiles"] = "1",
            },
            prepare: (_, data) => CliAsync("import", frames, "--config", work, "--data", data), registryPath: registry);
        var uri = service.HttpBase;

        // The slow reader: a small receive window, the answer's head read, then nothing more.
        using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await slow.ConnectAsync(uri.Host, uri.Port);
        await slow.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /api/exceedances?quarter=2025Q3&format=csv HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {Operator}\r\n\r\n"));
        string head = await HeadAsync(slow);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);

        using var http = ApiCalls.Client(service.HttpBase, Inspector);
        for (int i = 0; i < 3; i++)
        {
            // Reports, one after another, while the file waits on its reader.
            foreach (var url in new[] { "/api/rates?quarter=2025Q3", "/api/trend?quarter=2025Q3", "/api/totals?quarter=2025Q3&format=csv" })
            {
                using var answer = await http.GetAsync(url);
                Assert.True(answer.IsSuccessStatusCode, $"{url}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            }
        }

        // The file slot is the slow reader's: another file is turned away, saying why.
        using (var second = await http.GetAsync("/api/exceedances?quarter=2025Q3&format=xlsx"))
        {
            Assert.Equal(429, (int)second.StatusCode);
            Assert.Contains("files", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The reader goes away: its slot is free again.
        slow.Close();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int status;
        do
        {
            await Task.Delay(100);
            using var again = await http.GetAsync("/api/exceedances?quarter=2025Q3&format=csv", HttpCompletionOption.ResponseHeadersRead);
            status = (int)again.StatusCode;
        }
        while (status == 429 && DateTime.UtcNow < deadline);
        Assert.Equal(200, status);
    }

    /// <summary>Reads until the end of the answer's head (a blank line); what follows is left unread.</summary>
    private static async Task<string> HeadAsync(Socket socket)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.True(await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 1, "the connection closed before the answer's head: " + head);
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private static async Task CliAsync(params string[] args)
    {
        var result = await CliRunner.RunAsync(args, timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.StdErr}");
    }
}
