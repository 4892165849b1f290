using System.Text;
using EmissionMonitor.Storage.Journaling;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Storage;

/// <summary>Events isolated: a subscriber of committed frames that throws never stops the commits, the acknowledgements or the other subscribers.</summary>
public sealed class JournalSubscriberTests
{
    [Fact]
    public async Task ASubscriberThatThrowsOnEveryBatch_NeitherStopsCommitsNorAcknowledgements_NorTheOtherSubscribers()
    {
        await using var service = await ServiceFixture.StartAsync();
        service.ExpectErrors("A subscriber of committed frames");
        var journal = service.App.Services.GetRequiredService<Journal>();
        int seenAfter = 0;
        journal.Committed += (_, _) => throw new InvalidOperationException("a broken subscriber");
        journal.Committed += (items, _) => Interlocked.Add(ref seenAfter, items.Count);

        var start = new DateTime(2025, 7, 1);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var replies = new byte[1 << 16];
        int replied = 0;
        for (int batch = 0; batch < 5; batch++)
        {
            var frames = new StringBuilder();
            for (int i = 0; i < 20; i++)
            {
                // Flag=5 asks for a 9014 reply, sent only after the frame's commit.
                frames.Append(Some.Hourly(at: start.AddHours(batch * 20 + i), flag: 5).Value("a21026", "Avg", 10m).Value("a21026", "Flag", "N").Build().ToString());
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(frames.ToString()));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (Encoding.ASCII.GetString(replies, 0, replied).Split("CN=9014").Length - 1 < (batch + 1) * 20)
            {
                replied += await stream.ReadAsync(replies.AsMemory(replied), timeout.Token);
            }
        }

        Assert.Equal(100, (await service.CountsAsync()).Readings);
        Assert.True(journal.SubscriberFailures >= 1);
        await Waiting.UntilAsync(() => Volatile.Read(ref seenAfter) >= 100, 5000); // the subscriber after the broken one was told of every frame
    }
}
