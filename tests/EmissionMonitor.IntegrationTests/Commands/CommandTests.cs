using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Alerts;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Ingestion;
using EmissionMonitor.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace EmissionMonitor.IntegrationTests.Commands;

/// <summary>
/// Operators command terminals over both links, with the standard's request/answer tracking:
/// simulated terminals (the simulator's own responder) answer, refuse, stay silent, answer slowly
/// or disconnect; the service's 1013 answer; clock drift.
/// </summary>
public sealed class CommandTests
{
    private const string Operator = "operator-token-1", Inspector = "inspector-token-1", Enterprise1 = "enterprise-token-1";

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static Task<ServiceFixture> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Gateway:Port"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Api:Users:0:Token"] = Operator, ["Api:Users:0:Role"] = "operator", ["Api:Users:0:Name"] = "王工",
            ["Api:Users:1:Token"] = Inspector, ["Api:Users:1:Role"] = "inspector",
            ["Api:Users:2:Token"] = Enterprise1, ["Api:Users:2:Role"] = "enterprise", ["Api:Users:2:Enterprise"] = "QH-XN-001",
        };
        foreach (var (k, v) in extra ?? [])
        {
            values[k] = v;
        }

        return ServiceFixture.StartAsync(values);
    }

    private static HttpClient Client(ServiceFixture service, string token = Operator)
    {
        var client = new HttpClient { BaseAddress = service.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A simulated terminal on one link, answering commands with the simulator's responder.</summary>
    internal sealed class Terminal : IAsyncDisposable
    {
        private readonly ITerminalLink _link;
        private bool _disposed;

        private Terminal(ITerminalLink link, CommandResponder responder)
        {
            _link = link;
            Responder = responder;
        }

        public CommandResponder Responder { get; }

        public static async Task<Terminal> ConnectAsync(ServiceFixture service, string link, TerminalBehaviour? behaviour = null, string mn = "QHXN0010001")
        {
            var outlet = Some.Registry().FindOutlet(mn)!;
            ITerminalLink l = link == "tcp"
                ? new TcpTerminalLink(new Uri($"tcp://127.0.0.1:{service.GatewayPort}"))
                : new MqttTerminalLink(new Uri($"mqtt://127.0.0.1:{service.MqttPort}"), outlet.Mn, outlet.Password);
            var responder = new CommandResponder(outlet, behaviour ?? TerminalBehaviour.Default, EmissionMonitor.Hj212.Hj212Version.V2017, Zone, TimeProvider.System);
            var terminal = new Terminal(l, responder);
            var factory = new FrameFactory(outlet, new SimulationOptions(new Uri("tcp://x"), 1, 1, TimeSpan.Zero, 0, 0, 0, 0, 0), new Random(1));
            await l.ConnectAsync(async request =>
            {
                foreach (var (wait, frame) in responder.Answer(request, at => factory.Hourly(at).Bytes))
                {
                    await Task.Delay(wait);
                    if (!terminal._disposed)
                    {
                        await l.SendAsync(frame, expectsReply: false, CancellationToken.None);
                    }
                }
            }, CancellationToken.None);

            // A heartbeat makes the terminal known on its link (TCP: its connection; MQTT: its presence).
            var heartbeat = new Hj212Builder { Qn = EmissionMonitor.Hj212.Hj212Time.FormatQn(responder.Now), St = "31", Cn = "9015", Pw = outlet.Password, Mn = outlet.Mn, Flag = 4 }.Build();
            await l.SendAsync(Hj212Encoder.Encode(heartbeat), expectsReply: false, CancellationToken.None);
            var commands = service.App.Services.GetRequiredService<EmissionMonitor.Commands.CommandService>();
            await Waiting.UntilAsync(() => commands.Reachable(mn) == link, 10_000);
            return terminal;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                await _link.DisposeAsync();
            }
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string mn, object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var response = await http.PostAsJsonAsync($"/api/outlets/{mn}/commands", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> UntilFinalAsync(HttpClient http, string id, int ms = 20_000)
    {
        JsonElement command = default;
        await Waiting.UntilAsync(async () =>
        {
            command = JsonDocument.Parse(await http.GetStringAsync($"/api/commands/{id}")).RootElement.Clone();
            return command.GetProperty("state").GetString() is "done" or "failed" or "timeout" or "refused";
        }, TimeSpan.FromMilliseconds(ms), $"command {id} finished");
        return command;
    }

    private static string[] Exchange(JsonElement command) =>
        command.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("direction").GetString() + " " + e.GetProperty("cn").GetString()).ToArray();

    [Theory]
    [InlineData("tcp")]
    [InlineData("mqtt")]
    public async Task GetTime_RunsTheWholeExchange_AndGivesTheTerminalsClockAndItsOffset(string link)
    {
        await using var service = await StartAsync();
        await using var terminal = await Terminal.ConnectAsync(service, link, new TerminalBehaviour { ClockOffset = TimeSpan.FromSeconds(95) });
        using var http = Client(service);
        var posted = await PostAsync(http, "QHXN0010001", new { command = "get-time" });
        Assert.Equal("sent", posted.GetProperty("state").GetString());
        Assert.Equal(link, posted.GetProperty("link").GetString());
        Assert.Equal("王工", posted.GetProperty("requestedBy").GetString());
        var done = await UntilFinalAsync(http, posted.GetProperty("id").GetString()!);
        Assert.Equal("done", done.GetProperty("state").GetString());
        Assert.Equal(["out 1011", "in 9011", "in 1011", "in 9012"], Exchange(done));
        Assert.Equal((1, 1), (done.GetProperty("qnRtn").GetInt32(), done.GetProperty("exeRtn").GetInt32()));
        double offset = done.GetProperty("result").GetProperty("offsetSeconds").GetDouble();
        Assert.InRange(offset, 93, 97);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", done.GetProperty("result").GetProperty("systemTime").GetString()!);

        // The stored history: listed per outlet, newest first, and as CSV.
        var list = JsonDocument.Parse(await http.GetStringAsync("/api/outlets/QHXN0010001/commands")).RootElement;
        Assert.Equal(posted.GetProperty("id").GetString(), list[0].GetProperty("id").GetString());
        var csv = await http.GetStringAsync("/api/outlets/QHXN0010001/commands?format=csv&columns=raw");
        Assert.Contains("get-time", csv, StringComparison.Ordinal);
        Assert.Contains("requestedBy", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetThenGet_TheIntervals_QueueInOrder_AndTheTerminalKeepsWhatWasSet()
    {
        await using var service = await StartAsync();
        await using var terminal = await Terminal.ConnectAsync(service, "mqtt");
        using var http = Client(service);
        var set = await PostAsync(http, "QHXN0010001", new { command = "set-rtd-interval", @params = new { interval = 60 } });
        var get = await PostAsync(http, "QHXN0010001", new { command = "get-rtd-interval" });
        var setMin = await PostAsync(http, "QHXN0010001", new { command = "set-min-interval", @params = new { interval = 5 } });
        var getMin = await PostAsync(http, "QHXN0010001", new { command = "get-min-interval" });
        Assert.Equal("queued", get.GetProperty("state").GetString()); // one at a time per terminal
        Assert.Equal("done", (await UntilFinalAsync(http, set.GetProperty("id").GetString()!)).GetProperty("state").GetString());
        var got = await UntilFinalAsync(http, get.GetProperty("id").GetString()!);
        Assert.Equal(60, got.GetProperty("result").GetProperty("rtdInterval").GetInt32());
        await UntilFinalAsync(http, setMin.GetProperty("id").GetString()!);
        Assert.Equal(5, (await UntilFinalAsync(http, getMin.GetProperty("id").GetString()!)).GetProperty("result").GetProperty("minInterval").GetInt32());
        Assert.Equal(60, terminal.Responder.RtdInterval);
        Assert.Equal(5, terminal.Responder.MinInterval);
    }

    [Fact]
    public async Task ARefusal_AFailure_AndTheStreamsAndNotifications_EndAsTheStandardSays()
    {
        await using var service = await StartAsync();
        await using var terminal = await Terminal.ConnectAsync(service, "tcp", new TerminalBehaviour
        {
            Refuse = new HashSet<string>(["3011"]), Fail = new HashSet<string>(["3012"]),
        });
        using var http = Client(service);
        var refused = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "zero-calibrate", @params = new { polId = "a21026" } })).GetProperty("id").GetString()!);
        Assert.Equal(("refused", 2), (refused.GetProperty("state").GetString(), refused.GetProperty("qnRtn").GetInt32()));
        Assert.Equal("QnRtn 2: rejected", refused.GetProperty("reason").GetString());
        var failed = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "sample-now", @params = new { polId = "a21026" } })).GetProperty("id").GetString()!);
        Assert.Equal(("failed", "ExeRtn 2: failed, reason unknown"), (failed.GetProperty("state").GetString(), failed.GetProperty("reason").GetString()));

        var stop = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "stop-realtime" })).GetProperty("id").GetString()!);
        Assert.Equal("done", stop.GetProperty("state").GetString());
        Assert.Equal(["out 2012", "in 9013"], Exchange(stop));
        Assert.False(terminal.Responder.RealTimeOn);
        var start = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "start-realtime" })).GetProperty("id").GetString()!);
        Assert.Equal("done", start.GetProperty("state").GetString());
        Assert.Equal(["out 2011", "in 9011"], Exchange(start)); // done on QnRtn=1
        Assert.True(terminal.Responder.RealTimeOn);
        var runState = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "stop-run-state" })).GetProperty("id").GetString()!);
        Assert.Equal("done", runState.GetProperty("state").GetString());
        var info = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "get-info", @params = new { polId = "a21026" } })).GetProperty("id").GetString()!);
        Assert.Equal("1", info.GetProperty("result").GetProperty("info").GetProperty("a21026 i12001-Info").GetString());
    }

    [Fact]
    public async Task NoQnRtn_IsResentReCountTimes_ThenTimesOut_AndASlowExeRtnTimesOutAfterAcceptance()
    {
        await using var service = await StartAsync(new() { ["Gateway:CommandOverTime"] = "00:00:00.300", ["Gateway:CommandReCount"] = "2" });
        await using var terminal = await Terminal.ConnectAsync(service, "tcp", new TerminalBehaviour
        {
            Ignore = new HashSet<string>(["1061"]), ExeDelay = TimeSpan.FromSeconds(3),
        });
        using var http = Client(service);
        var silent = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "get-rtd-interval" })).GetProperty("id").GetString()!);
        Assert.Equal("timeout", silent.GetProperty("state").GetString());
        Assert.Equal(3, silent.GetProperty("attempts").GetInt32()); // the first send and ReCount resends, all with the same QN
        Assert.Equal(["out 1061", "out 1061", "out 1061"], Exchange(silent));
        Assert.Contains("no QnRtn after 3 sends", silent.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var slow = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "get-time" })).GetProperty("id").GetString()!);
        Assert.Equal("timeout", slow.GetProperty("state").GetString());
        Assert.Contains("no ExeRtn within", slow.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, slow.GetProperty("acceptedAt").ValueKind);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("mqtt")]
    public async Task ATerminalThatDisconnectsMidCommand_FailsIt(string link)
    {
        await using var service = await StartAsync();
        var terminal = await Terminal.ConnectAsync(service, link, new TerminalBehaviour { ExeDelay = TimeSpan.FromSeconds(30) });
        using var http = Client(service);
        var posted = await PostAsync(http, "QHXN0010001", new { command = "set-time" });
        await Waiting.UntilAsync(async () => JsonDocument.Parse(await http.GetStringAsync($"/api/commands/{posted.GetProperty("id").GetString()}")).RootElement
            .GetProperty("state").GetString() == "accepted", TimeSpan.FromSeconds(10), "accepted");
        await terminal.DisposeAsync();
        var failed = await UntilFinalAsync(http, posted.GetProperty("id").GetString()!);
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Contains("disconnected", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        if (link == "tcp")
        {
            await PostAsync(http, "QHXN0010001", new { command = "get-time" }, HttpStatusCode.Conflict); // nothing reaches it now
        }
    }

    [Fact]
    public async Task History_OverMqtt_BringsTheRecordsIn_AndBackfillIsItsAlias()
    {
        await using var service = await StartAsync();
        await using var terminal = await Terminal.ConnectAsync(service, "mqtt");
        using var http = Client(service);
        var now = terminal.Responder.Now;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0);
        var history = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new
        {
            command = "history", @params = new { cn = "2061", from = hour.AddHours(-3).ToString("yyyy-MM-ddTHH:mm:ss"), to = hour.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ss") },
        })).GetProperty("id").GetString()!);
        Assert.Equal("done", history.GetProperty("state").GetString());
        var store = service.App.Services.GetRequiredService<EmissionMonitor.Storage.IReadingStore>();
        await Waiting.UntilAsync(async () => (await store.QueryReadingsAsync(new EmissionMonitor.Storage.ReadingQuery("2061", hour.AddHours(-3), hour, "QHXN0010001"), CancellationToken.None))
            .Select(r => r.Period).Distinct().Count() == 3, TimeSpan.FromSeconds(10), "three hours back-filled");

        var alias = await http.PostAsJsonAsync("/api/outlets/QHXN0010001/backfill", new { from = hour.AddHours(-6).ToString("yyyy-MM-ddTHH:mm"), to = hour.AddHours(-5).ToString("yyyy-MM-ddTHH:mm") });
        Assert.Equal(HttpStatusCode.Accepted, alias.StatusCode);
        var body = JsonDocument.Parse(await alias.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("CN=2061", body.GetProperty("sent").GetString(), StringComparison.Ordinal);
        Assert.Equal("done", (await UntilFinalAsync(http, body.GetProperty("id").GetString()!)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task TheContract_Roles404_400NamingTheParameter_409Unreachable_AndAFullQueue()
    {
        await using var service = await StartAsync(new() { ["Gateway:CommandQueue"] = "1" });
        using var op = Client(service);
        using var inspector = Client(service, Inspector);
        using var enterprise = Client(service, Enterprise1);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync("/api/outlets/QHXN0010001/commands", new { command = "get-time" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.PostAsJsonAsync("/api/outlets/QHXN0010001/commands", new { command = "get-time" })).StatusCode);
        await PostAsync(op, "NOSUCHMN000", new { command = "get-time" }, HttpStatusCode.NotFound);
        var bad = await PostAsync(op, "QHXN0010001", new { command = "set-rtd-interval", @params = new { interval = 5 } }, HttpStatusCode.BadRequest);
        Assert.Equal("params.interval", bad.GetProperty("parameter").GetString());
        Assert.Equal("command", (await PostAsync(op, "QHXN0010001", new { command = "reboot" }, HttpStatusCode.BadRequest)).GetProperty("parameter").GetString());
        Assert.Equal("params.polId", (await PostAsync(op, "QHXN0010001", new { command = "zero-calibrate", @params = new { polId = "a21026;CN=1012" } }, HttpStatusCode.BadRequest))
            .GetProperty("parameter").GetString()); // nothing can be smuggled into the CP
        Assert.Equal("params.extra", (await PostAsync(op, "QHXN0010001", new { command = "get-time", @params = new { extra = 1 } }, HttpStatusCode.BadRequest))
            .GetProperty("parameter").GetString());
        var unreachable = await PostAsync(op, "QHXN0010001", new { command = "get-time" }, HttpStatusCode.Conflict);
        Assert.Contains("not reachable", unreachable.GetProperty("title").GetString(), StringComparison.Ordinal);

        await using var terminal = await Terminal.ConnectAsync(service, "tcp", new TerminalBehaviour { Ignore = new HashSet<string>(["1011"]) });
        await PostAsync(op, "QHXN0010001", new { command = "get-time" }); // running, never answered
        await PostAsync(op, "QHXN0010001", new { command = "get-time" }); // queued
        var full = await PostAsync(op, "QHXN0010001", new { command = "get-time" }, HttpStatusCode.Conflict);
        Assert.Contains("Gateway:CommandQueue", full.GetProperty("title").GetString(), StringComparison.Ordinal);

        // Reading the history: operators and inspectors; an enterprise its own outlets only.
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync("/api/outlets/QHXN0010001/commands")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await enterprise.GetAsync("/api/outlets/QHXN0010001/commands")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.GetAsync("/api/outlets/QHXN0020001/commands")).StatusCode);
    }

    [Fact]
    public async Task ATimeCalibrationRequest_IsAnswered9013_ThenWithTheServicesClock_AndTracked()
    {
        await using var service = await StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var request = new Hj212Builder { Qn = "20260105100000001", St = "31", Cn = "1013", Pw = "123456", Mn = "QHXN0010001", Flag = 5 }.Build();
        await stream.WriteAsync(Hj212Encoder.Encode(request));
        var reader = System.IO.Pipelines.PipeReader.Create(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<Hj212Packet>();
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: cts.Token))
        {
            received.Add(Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan).Packet!);
            if (received.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["9013", "1012"], received.Select(p => p.Cn)); // the Flag (5) asks for the 9013
        Assert.Equal("20260105100000001", received[0].Qn);
        var (time, _) = EmissionMonitor.Hj212.Hj212Time.Parse(received[1].Params.Single(p => p.Key == "SystemTime").Value);
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime; // Asia/Shanghai local time
        Assert.InRange((time!.Value - local).TotalSeconds, -5, 5);

        // The terminal acknowledges; the service tracks the 1012 as a command.
        await stream.WriteAsync(Hj212Encoder.Encode(EmissionMonitor.Hj212.Replies.Hj212Replies.RequestReply(received[1], 1)));
        await stream.WriteAsync(Hj212Encoder.Encode(EmissionMonitor.Hj212.Replies.Hj212Replies.ExecutionReply(received[1], 1)));
        using var http = Client(service);
        await Waiting.UntilAsync(async () => JsonDocument.Parse(await http.GetStringAsync("/api/outlets/QHXN0010001/commands")).RootElement
            .EnumerateArray().Any(c => c.GetProperty("command").GetString() == "set-time" && c.GetProperty("state").GetString() == "done"
                && c.GetProperty("requestedBy").GetString()!.Contains("1013", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the 1012 tracked to done");

        // A 1013 whose Flag asks no reply gets only the 1012 (past Gateway:TimeAnswerInterval: another service).
        await using var other = await StartAsync(new() { ["Gateway:TimeAnswerInterval"] = "00:00:00" });
        using var second = new TcpClient();
        await second.ConnectAsync("127.0.0.1", other.GatewayPort);
        var quiet = new Hj212Builder { Qn = "20260105100000002", St = "31", Cn = "1013", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.Build();
        await second.GetStream().WriteAsync(Hj212Encoder.Encode(quiet));
        using var cts2 = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var chunk in Hj212Framer.ReadAsync(System.IO.Pipelines.PipeReader.Create(second.GetStream()), cancellationToken: cts2.Token))
        {
            Assert.Equal("1012", Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan).Packet!.Cn);
            break;
        }
    }

    [Fact]
    public async Task AClockAhead_RaisesClockDrift_AndWithAutoSetTime_IsSetOnItsOwn()
    {
        await using var service = await StartAsync(new() { ["Gateway:AutoSetTime"] = "true" });
        await using var terminal = await Terminal.ConnectAsync(service, "tcp", new TerminalBehaviour { ClockOffset = TimeSpan.FromMinutes(12) });
        var alerts = service.App.Services.GetRequiredService<AlertService>();
        await Waiting.UntilAsync(() => alerts.List(null).Any(a => a.IsOpen && a.Kind == "clock-drift"), 10_000); // the heartbeat's QN is 12 min ahead
        var drift = alerts.List(null).Single(a => a.Kind == "clock-drift");
        Assert.InRange(drift.Value!.Value, 700, 740);
        Assert.Equal("warning", drift.Severity);

        using var http = Client(service);
        await Waiting.UntilAsync(async () => JsonDocument.Parse(await http.GetStringAsync("/api/outlets/QHXN0010001/commands")).RootElement
            .EnumerateArray().Any(c => c.GetProperty("command").GetString() == "set-time" && c.GetProperty("state").GetString() == "done"
                && c.GetProperty("requestedBy").GetString() == "auto (clock drift)"), TimeSpan.FromSeconds(15), "set-time sent on its own");
        var ledger = service.App.Services.GetRequiredService<EmissionMonitor.Commands.CommandLedger>();
        Assert.InRange((terminal.Responder.Now - TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime).TotalSeconds, -5, 5); // corrected

        // The next frame shows the corrected clock: the alert clears.
        var heartbeat = new Hj212Builder { Qn = EmissionMonitor.Hj212.Hj212Time.FormatQn(terminal.Responder.Now), St = "31", Cn = "9015", Pw = "123456", Mn = "QHXN0010001", Flag = 4 }.Build();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        await tcp.GetStream().WriteAsync(Hj212Encoder.Encode(heartbeat));
        await Waiting.UntilAsync(() => !alerts.List(null).Any(a => a.IsOpen && a.Kind == "clock-drift"), 10_000);
        Assert.InRange(ledger.Clock("QHXN0010001")!.OffsetSeconds, -5, 5);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("mqtt")]
    public async Task TheSimulatorsFleet_AnswersCommands_WhileItSendsItsData(string link)
    {
        await using var service = await StartAsync();
        var outlet = Some.Registry().FindOutlet("QHXN0010001")!;
        var target = link == "tcp" ? $"tcp://127.0.0.1:{service.GatewayPort}" : $"mqtt://127.0.0.1:{service.MqttPort}";
        var options = new SimulationOptions(new Uri(target), 1, 5, TimeSpan.FromSeconds(20), 0, 0, 0, 0, 0);
        using var stop = new CancellationTokenSource();
        var fleet = new TerminalFleet([outlet], options, Zone, TimeProvider.System, _ => new TerminalBehaviour { Refuse = new HashSet<string>(["3012"]) });
        var running = fleet.RunAsync(stop.Token);
        var commands = service.App.Services.GetRequiredService<EmissionMonitor.Commands.CommandService>();
        await Waiting.UntilAsync(() => commands.Reachable("QHXN0010001") == link, 15_000);
        using var http = Client(service);
        var time = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "get-time" })).GetProperty("id").GetString()!);
        Assert.Equal("done", time.GetProperty("state").GetString());
        Assert.InRange(time.GetProperty("result").GetProperty("offsetSeconds").GetDouble(), -5, 5);
        var refused = await UntilFinalAsync(http, (await PostAsync(http, "QHXN0010001", new { command = "sample-now", @params = new { polId = "a21026" } })).GetProperty("id").GetString()!);
        Assert.Equal("refused", refused.GetProperty("state").GetString());
        await stop.CancelAsync();
        await running;
        Assert.True(fleet.Acknowledged + fleet.Unconfirmed > 0, "the fleet sent its data meanwhile");
    }

    public static TheoryData<string, string, string, string> EveryCommand()
    {
        var data = new TheoryData<string, string, string, string>();
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime;
        string from = now.AddHours(-2).ToString("yyyy-MM-ddTHH:00:00"), to = now.AddHours(-1).ToString("yyyy-MM-ddTHH:00:00");
        foreach (var link in new[] { "tcp", "mqtt" })
        {
            data.Add(link, "get-time", "{}", "out 1011,in 9011,in 1011,in 9012");
            data.Add(link, "set-time", "{\"time\":\"2026-03-01T08:00:00\"}", "out 1012,in 9011,in 9012");
            data.Add(link, "get-rtd-interval", "{}", "out 1061,in 9011,in 1061,in 9012");
            data.Add(link, "set-rtd-interval", "{\"interval\":120}", "out 1062,in 9011,in 9012");
            data.Add(link, "get-min-interval", "{}", "out 1063,in 9011,in 1063,in 9012");
            data.Add(link, "set-min-interval", "{\"interval\":15}", "out 1064,in 9011,in 9012");
            data.Add(link, "start-realtime", "{}", "out 2011,in 9011");
            data.Add(link, "stop-realtime", "{}", "out 2012,in 9013");
            data.Add(link, "start-run-state", "{}", "out 2021,in 9011");
            data.Add(link, "stop-run-state", "{}", "out 2022,in 9013");
            data.Add(link, "history", $"{{\"cn\":\"2061\",\"from\":\"{from}\",\"to\":\"{to}\"}}", "out 2061,in 9011,in 9012");
            data.Add(link, "get-info", "{\"polId\":\"a21026\"}", "out 3020,in 9011,in 3020,in 9012");
            data.Add(link, "zero-calibrate", "{\"polId\":\"a21026\"}", "out 3011,in 9011,in 9012");
            data.Add(link, "sample-now", "{\"polId\":\"a21026\"}", "out 3012,in 9011,in 9012");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task EveryCommand_RunsItsWholeExchange_OverEitherLink(string link, string command, string parameters, string exchange)
    {
        await using var service = await StartAsync();
        await using var terminal = await Terminal.ConnectAsync(service, link);
        using var http = Client(service);
        var posted = await PostAsync(http, "QHXN0010001", new { command, @params = JsonDocument.Parse(parameters).RootElement });
        var done = await UntilFinalAsync(http, posted.GetProperty("id").GetString()!);
        Assert.Equal("done", done.GetProperty("state").GetString());
        Assert.Equal(exchange.Split(','), Exchange(done));
        var sent = done.GetProperty("exchanges")[0].GetProperty("frame").GetString()!;
        Assert.Contains($"CN={done.GetProperty("cn").GetString()};", sent, StringComparison.Ordinal);
        Assert.Contains("ST=31;", sent, StringComparison.Ordinal); // the outlet's system
        Assert.Contains("Flag=5;", sent, StringComparison.Ordinal); // HJ 212-2017, answer asked
    }
}
