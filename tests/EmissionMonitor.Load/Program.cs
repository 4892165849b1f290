using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EmissionMonitor.Hj212.Encoders;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using EmissionMonitor.Hj212.Packets;

// End-to-end load: starts the real service (Release build) on free loopback ports, drives it with N
// terminals at QoS 1 over the embedded broker, mosquitto, or the HJ 212 TCP link, and prints one
// table: frames/s accepted, publish→commit and publish→alert latency, the service's CPU and peak
// memory, next to the raw broker ceiling measured in the same run with the same payloads.
//   dotnet run -c Release --project tests/EmissionMonitor.Load -- [--terminals 200] [--rate 2000] [--seconds 20] [--modes embedded,mosquitto,tcp]
var options = Options.Parse(args);
var rows = new List<string[]>();
foreach (var mode in options.Modes)
{
    Console.Error.WriteLine($"== {mode}");
    rows.Add(await LoadRun.RunAsync(mode, options));
}

string[] header = ["transport", "terminals", "offered/s", "accepted/s", "committed/s", "drain s", "p50 ack ms", "p99 ack ms", "p50 alert ms", "p99 alert ms", "service CPU %", "peak RSS MB", "raw broker ceiling/s (50 clients)"];
Console.WriteLine("| " + string.Join(" | ", header) + " |");
Console.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
foreach (var r in rows)
{
    Console.WriteLine("| " + string.Join(" | ", r) + " |");
}

internal sealed record Options(int Terminals, double Rate, int Seconds, string[] Modes)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string def) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : def;
        return new Options(int.Parse(Get("--terminals", "200"), CultureInfo.InvariantCulture), double.Parse(Get("--rate", "2000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--seconds", "20"), CultureInfo.InvariantCulture), Get("--modes", "embedded,mosquitto,tcp").Split(','));
    }
}

internal static class LoadRun
{
    public static async Task<string[]> RunAsync(string mode, Options o)
    {
        string dir = Path.Combine(Path.GetTempPath(), "em-load-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "config"));
        var mns = Enumerable.Range(1, o.Terminals).Select(i => $"LOAD{i:D5}").ToList();
        await File.WriteAllTextAsync(Path.Combine(dir, "config", "stations.json"),
            "{\"enterprises\":[{\"id\":\"L\",\"name\":\"load\",\"city\":\"load\",\"outlets\":["
            + string.Join(",", mns.Select(m => $"{{\"mn\":\"{m}\",\"password\":\"pw\",\"kind\":\"gas\",\"limits\":{{\"a21026\":35}}}}")) + "]}]}");
        int mqttPort = Free(), gatewayPort = Free(), httpPort = Free();
        Process? mosquitto = null;
        int brokerPort = mqttPort;
        if (mode == "mosquitto")
        {
            brokerPort = Free();
            string conf = Path.Combine(dir, "mosquitto.conf");
            await File.WriteAllTextAsync(conf, $"listener {brokerPort} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\nmax_inflight_messages 0\nmax_queued_messages 1000000\nlog_dest file {dir}/mosquitto.log\n{(Environment.UserName == "root" ? "user root\n" : "")}");
            mosquitto = Process.Start(new ProcessStartInfo("mosquitto", ["-c", conf]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await WaitPortAsync(brokerPort);
        }

        var env = new Dictionary<string, string>
        {
            ["Mqtt__Host"] = "127.0.0.1", ["Mqtt__Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Gateway__Host"] = "127.0.0.1", ["Gateway__Port"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Http__Urls"] = $"http://127.0.0.1:{httpPort}", ["Intake__MaxAge"] = "3650.00:00:00", ["Storage__CommitInterval"] = "00:00:00.005",
            ["Mqtt__Username"] = "ops", ["Mqtt__Password"] = "ops",
            // Every simulated terminal connects from 127.0.0.1: lift the per-address caps for this run.
            ["Mqtt__MaxConnectionsPerAddress"] = "100000", ["Gateway__MaxConnectionsPerAddress"] = "100000",
        };
        if (mode == "mosquitto")
        {
            env["Mqtt__Mode"] = "external";
            env["Mqtt__Username"] = "emission-monitor";
            if (Environment.GetEnvironmentVariable("EM_RECEIVE_MAXIMUM") is { } rm)
            {
                env["Mqtt__ReceiveMaximum"] = rm;
            }
        }

        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EmissionMonitor.dll"), "run", "--config", Path.Combine(dir, "config"), "--data", Path.Combine(dir, "data")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var service = Process.Start(psi)!;
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        await WaitPortAsync(mode == "tcp" ? gatewayPort : httpPort);
        await WaitPortAsync(httpPort);
        await Task.Delay(2000); // let the service finish starting (MQTT session, alert service)

        // Alerts: an operator-side subscriber (embedded: the operators' login; mosquitto: anonymous).
        var alertLatencies = new List<double>();
        var alertSent = new Dictionary<string, long>();
        using var alerts = new MqttClientFactory().CreateMqttClient();
        await alerts.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithCredentials("ops", "ops").WithClientId("alerts").Build());
        alerts.ApplicationMessageReceivedAsync += e =>
        {
            long now = Stopwatch.GetTimestamp();
            var text = Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray());
            lock (alertSent)
            {
                string state = text.Contains("\"state\":\"active\"", StringComparison.Ordinal) ? "active" : "cleared";
                if (Environment.GetEnvironmentVariable("EM_LOAD_DEBUG") is not null)
                {
                    Console.Error.WriteLine(text[..Math.Min(120, text.Length)]);
                }

                if (alertSent.Remove(state, out long sent))
                {
                    alertLatencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                }
            }

            return Task.CompletedTask;
        };
        await alerts.SubscribeAsync("emission/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        long committedBefore = await CommittedAsync(http);
        var latencies = new List<double>[o.Terminals];
        long accepted = 0, failed = 0;
        var cpuBefore = CpuSeconds(service.Id);
        var watch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(o.Seconds);
        double perTerminal = o.Rate / o.Terminals;
        using var connecting = new SemaphoreSlim(32); // terminals connect 32 at a time, as after a real outage they would trickle in
        var tasks = mns.Select((mn, i) => Task.Run(async () =>
        {
            latencies[i] = [];
            Link link;
            await connecting.WaitAsync();
            try
            {
                link = await Link.OpenAsync(mode, mn, brokerPort, gatewayPort);
            }
            finally
            {
                connecting.Release();
            }

            await using var _ = link;
            var lastTime = DateTime.MinValue;
            long next = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * Random.Shared.NextDouble() / perTerminal);
            for (int n = 0; watch.Elapsed < deadline; n++)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                next += (long)(Stopwatch.Frequency / perTerminal);
                // Terminal 0 holds a value above the limit for one second, then below it for one second:
                // each change raises or clears a warning, and its first frame starts the alert clock.
                int perSecond = Math.Max(1, (int)perTerminal);
                bool alertProbe = i == 0 && n % perSecond == 0;
                decimal value = i == 0 && (n / perSecond) % 2 == 0 ? 90m : 10m;
                // Real local time (Asia/Shanghai), strictly increasing per terminal at millisecond resolution.
                var now = DateTime.UtcNow.AddHours(8);
                now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond));
                lastTime = now > lastTime ? now : lastTime.AddMilliseconds(1);
                var frame = new Hj212Builder { Qn = "1", St = "31", Cn = "2011", Pw = "pw", Mn = mn, Flag = mode == "tcp" ? 5 : 4 }
                    .DataTime(lastTime, milliseconds: true).Value("a21026", "Rtd", value).Value("a21026", "Flag", "N").Build();
                if (alertProbe)
                {
                    lock (alertSent)
                    {
                        alertSent[value > 35 ? "active" : "cleared"] = Stopwatch.GetTimestamp();
                    }
                }

                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    if (await link.SendAsync(Encoder(frame)))
                    {
                        latencies[i].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                        Interlocked.Increment(ref accepted);
                    }
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or IOException or SocketException)
                {
                    Interlocked.Increment(ref failed); // not acknowledged in time: the terminal gives up for this run
                    break;
                }
            }
        })).ToList();
        await Task.WhenAll(tasks);
        double seconds = watch.Elapsed.TotalSeconds;
        double cpu = (CpuSeconds(service.Id) - cpuBefore) / seconds * 100;
        // Committed while sending, then how long the service takes to commit every acknowledged frame
        // (with an external broker, its PUBACK comes before the service has the frame).
        long committed = await CommittedAsync(http) - committedBefore;
        var drain = Stopwatch.StartNew();
        while (await CommittedAsync(http) - committedBefore < accepted && drain.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(100);
        }

        double drainSeconds = drain.Elapsed.TotalSeconds;
        double rssMb = PeakRssMb(service.Id);
        service.Kill(entireProcessTree: true);
        await service.WaitForExitAsync();

        double ceiling = mode == "tcp" ? double.NaN : await RawCeilingAsync(mode, mns, o, mosquitto is null ? null : brokerPort);
        mosquitto?.Kill();
        if (mosquitto is not null)
        {
            await mosquitto.WaitForExitAsync();
        }

        Directory.Delete(dir, recursive: true); // the run's store: its figures are printed, the frames are not wanted again
        if (failed > 0)
        {
            Console.Error.WriteLine($"{mode}: {failed} terminals stopped after a publish was not acknowledged in time");
        }

        var all = latencies.SelectMany(l => l).Order().ToList();
        var alertsSorted = alertLatencies.Order().ToList();
        return [mode, o.Terminals.ToString(CultureInfo.InvariantCulture), o.Rate.ToString("F0", CultureInfo.InvariantCulture), (accepted / seconds).ToString("F0", CultureInfo.InvariantCulture),
            (committed / seconds).ToString("F0", CultureInfo.InvariantCulture), drainSeconds.ToString("F1", CultureInfo.InvariantCulture),
            P(all, 0.50), P(all, 0.99), P(alertsSorted, 0.50), P(alertsSorted, 0.99), cpu.ToString("F0", CultureInfo.InvariantCulture), rssMb.ToString("F0", CultureInfo.InvariantCulture),
            double.IsNaN(ceiling) ? "n/a" : ceiling.ToString("F0", CultureInfo.InvariantCulture)];
    }

    private static byte[] Encoder(EmissionMonitor.Hj212.Packets.Hj212Packet p) => Hj212Encoder.Encode(p);

    /// <summary>The broker alone, same clients and payloads, closed loop at QoS 1, nothing behind it.</summary>
    private static async Task<double> RawCeilingAsync(string mode, List<string> mns, Options o, int? mosquittoPort)
    {
        MqttServer? server = null;
        int port = mosquittoPort ?? Free();
        if (mosquittoPort is null)
        {
            server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointPort(port).WithMaxPendingMessagesPerClient(1_000_000).Build());
            await server.StartAsync();
        }

        long sent = 0;
        var watch = Stopwatch.StartNew();
        var payload = Hj212Encoder.Encode(new Hj212Builder { Qn = "1", St = "31", Cn = "2011", Pw = "pw", Mn = mns[0], Flag = 4 }
            .DataTime(DateTime.UtcNow, milliseconds: true).Value("a21026", "Rtd", 10m).Value("a21026", "Flag", "N").Build());
        // 50 clients publishing back to back saturate the broker; more only add connections (mosquitto
        // started closing them when 200 raced at full speed).
        await Task.WhenAll(mns.Take(50).Select(mn => Task.Run(async () =>
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithCredentials(mn, "pw").WithClientId("raw-" + mn).Build());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException e)
            {
                Console.Error.WriteLine($"raw ceiling: a client could not connect: {e.Message}");
                return;
            }

            var message = new MqttApplicationMessageBuilder().WithTopic($"raw/{mn}/up").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            try
            {
                while (watch.Elapsed < TimeSpan.FromSeconds(Math.Min(10, o.Seconds)))
                {
                    if ((await client.PublishAsync(message)).IsSuccess)
                    {
                        Interlocked.Increment(ref sent);
                    }
                }
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException e)
            {
                Console.Error.WriteLine($"raw ceiling: a client stopped: {e.Message}");
            }
        })));
        double rate = sent / watch.Elapsed.TotalSeconds;
        if (server is not null)
        {
            await server.StopAsync();
        }

        return rate;
    }

    private static string P(List<double> sorted, double q) =>
        sorted.Count == 0 ? "–" : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))].ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>Frames the service has committed (every status), from its /metrics.</summary>
    private static async Task<long> CommittedAsync(HttpClient http) =>
        (await http.GetStringAsync("/metrics")).Split('\n').Where(l => l.StartsWith("em_frames_total{", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static double CpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double PeakRssMb(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).FirstOrDefault();

    private static int Free()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    private static async Task WaitPortAsync(int port)
    {
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"port {port} never opened");
    }
}

/// <summary>One terminal: MQTT (PUBACK = committed on the embedded broker; mosquitto's PUBACK = queued) or TCP (9014 = committed).</summary>
internal abstract class Link : IAsyncDisposable
{
    public static async Task<Link> OpenAsync(string mode, string mn, int brokerPort, int gatewayPort)
    {
        if (mode == "tcp")
        {
            var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(IPAddress.Loopback, gatewayPort);
            return new TcpLink(tcp);
        }

        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithCredentials(mn, "pw").WithClientId(mn).Build());
        return new MqttLink(client, mn);
    }

    public abstract Task<bool> SendAsync(byte[] frame);

    public abstract ValueTask DisposeAsync();

    private sealed class MqttLink(IMqttClient client, string mn) : Link
    {
        public override async Task<bool> SendAsync(byte[] frame) =>
            (await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"emission/{mn}/up").WithPayload(frame)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())).IsSuccess;

        public override ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class TcpLink(TcpClient tcp) : Link
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _held;

        public override async Task<bool> SendAsync(byte[] frame)
        {
            var stream = tcp.GetStream();
            await stream.WriteAsync(frame);
            while (true)
            {
                int end = Array.IndexOf(_buffer, (byte)'\n', 0, _held);
                if (end >= 0)
                {
                    Buffer.BlockCopy(_buffer, end + 1, _buffer, 0, _held - end - 1);
                    _held -= end + 1;
                    return true;
                }

                int n = await stream.ReadAsync(_buffer.AsMemory(_held));
                if (n == 0)
                {
                    return false;
                }

                _held += n;
            }
        }

        public override ValueTask DisposeAsync()
        {
            tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
