using System.Collections.Concurrent;
using System.Text;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;
using MQTTnet;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Ingestion;

public sealed class CrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Terminals = 40;
    private const int FramesEach = 500; // 20,000 frames in all

    [Fact]
    public async Task Sigkill_InTheMiddleOfAQos1Stream_LosesNoAcknowledgedFrame()
    {
        // Quick: one SIGKILL in 20,000 frames. EM_LONG=1: a SIGKILL every few seconds, 10 times, in 200,000.
        int framesEach = Scale.Pick(FramesEach, 5000), cycles = Scale.Pick(1, 10), total = Terminals * framesEach;
        string root = Some.TempDirectory();
        string config = Path.Combine(root, "config");
        string data = Path.Combine(root, "data");
        Directory.CreateDirectory(config);
        var mns = Enumerable.Range(1, Terminals).Select(i => $"CRASH{i:D4}").ToList();
        await File.WriteAllTextAsync(Path.Combine(config, "stations.json"),
            "{\"enterprises\":[{\"id\":\"C\",\"name\":\"crash\",\"city\":\"test\",\"outlets\":["
            + string.Join(",", mns.Select(m => $"{{\"mn\":\"{m}\",\"password\":\"pw{m}\",\"kind\":\"gas\"}}")) + "]}]}");
        var env = new Dictionary<string, string> { ["Storage__CommitInterval"] = "00:00:00.002", ["Intake__MaxAge"] = "3650.00:00:00" };
        int mqttPort = ServiceProcess.FreePort(), gatewayPort = ServiceProcess.FreePort();
        var acknowledged = new ConcurrentDictionary<(string Mn, int Index), bool>();
        var next = new ConcurrentDictionary<string, int>(mns.ToDictionary(m => m, _ => 0));

        for (int cycle = 0; cycle < cycles; cycle++)
        {
            using (var service = await ServiceProcess.StartAsync(config, data, mqttPort, gatewayPort, env))
            {
                ResumeFromFirstUnacknowledged(mns, next, acknowledged, framesEach);
                var publishers = mns.Select(mn => PublishAsync(mn, mqttPort, acknowledged, next, framesEach)).ToList();
                int killAt = total * (cycle + 1) / (cycles + 2);
                while (acknowledged.Count < killAt)
                {
                    await Task.Delay(10);
                }

                service.Kill(); // SIGKILL while the terminals keep publishing
                await Task.WhenAll(publishers);
            }

            var stored = await StoredAsync(data);
            var lost = acknowledged.Keys.Where(k => !stored.Contains(k)).ToList();
            output.WriteLine($"SIGKILL {cycle + 1}/{cycles}: acknowledged {acknowledged.Count}, stored {stored.Count}, acknowledged but lost {lost.Count}");
            Assert.True(lost.Count == 0, $"cycle {cycle}: {lost.Count} acknowledged frames lost, e.g. {string.Join(", ", lost.Take(5))}");
        }

        // Restart; the terminals resend what was not acknowledged and finish the stream.
        using (await ServiceProcess.StartAsync(config, data, mqttPort, gatewayPort, env))
        {
            ResumeFromFirstUnacknowledged(mns, next, acknowledged, framesEach);
            await Task.WhenAll(mns.Select(mn => PublishAsync(mn, mqttPort, acknowledged, next, framesEach)));
        }

        var final = await StoredAsync(data);
        output.WriteLine($"after restart and resend: frames {total}, acknowledged {acknowledged.Count}, stored {final.Count}, lost {total - final.Count}");
        Assert.Equal(total, acknowledged.Count);
        Assert.Equal(total, final.Count); // each exactly once: readings are unique per MN and hour
    }

    private static void ResumeFromFirstUnacknowledged(List<string> mns, ConcurrentDictionary<string, int> next, ConcurrentDictionary<(string, int), bool> acknowledged, int framesEach)
    {
        foreach (var mn in mns)
        {
            next[mn] = Enumerable.Range(0, framesEach).FirstOrDefault(i => !acknowledged.ContainsKey((mn, i)), framesEach);
        }
    }

    private static async Task PublishAsync(string mn, int port, ConcurrentDictionary<(string, int), bool> acknowledged, ConcurrentDictionary<string, int> next, int framesEach)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithCredentials(mn, "pw" + mn).WithClientId(mn + Guid.NewGuid().ToString("N")[..4]).Build();
        try
        {
            if ((await client.ConnectAsync(options)).ResultCode != MqttClientConnectResultCode.Success)
            {
                return;
            }

            for (int i = next[mn]; i < framesEach; i++)
            {
                if (acknowledged.ContainsKey((mn, i)))
                {
                    continue;
                }

                var frame = Some.Hourly(mn: mn, pw: "pw" + mn, at: new DateTime(2020, 1, 1).AddHours(i)).Value("a21026", "Avg", i).Build().ToString();
                var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"emission/{mn}/up")
                    .WithPayload(Encoding.ASCII.GetBytes(frame)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                if (!result.IsSuccess)
                {
                    return;
                }

                acknowledged[(mn, i)] = true;
                next[mn] = i + 1;
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            // The broker died under us: whatever was not acknowledged is resent after the restart.
        }
    }

    private static async Task<HashSet<(string, int)>> StoredAsync(string data)
    {
        await using var store = new SqliteStore(data);
        await store.InitializeAsync(CancellationToken.None);
        var readings = await store.QueryReadingsAsync(new ReadingQuery("2061", new DateTime(2019, 1, 1), new DateTime(2030, 1, 1)), CancellationToken.None);
        return readings.Select(r => (r.Mn, (int)(r.Period - new DateTime(2020, 1, 1)).TotalHours)).ToHashSet();
    }
}
