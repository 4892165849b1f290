using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Crypto;
using EmissionMonitor.Hj212.Encoders;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Storage;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EmissionMonitor.IntegrationTests.Hj212v2025;

/// <summary>HJ 212-2025 terminals end to end: encrypted frames over TCP and MQTT, the key rules, rotation.</summary>
public sealed class EncryptedIntakeTests
{
    internal const string GasKey = "k7Qm2Xv9Lp4Rt8Wz";

    /// <summary>The test registry with a key for the gas outlet; the water outlet has none.</summary>
    internal static string Registry(string gasExtra = "") =>
        Some.RegistryJson.Replace("\"mn\": \"QHXN0010001\", \"password\": \"123456\",", $"\"mn\": \"QHXN0010001\", \"password\": \"123456\", \"sm4Key\": \"{GasKey}\",{gasExtra}", StringComparison.Ordinal);

    internal static async Task<ServiceFixture> StartAsync(string registry, Dictionary<string, string?>? overrides = null)
    {
        string path = Path.Combine(Some.TempDirectory(), "stations.json");
        await File.WriteAllTextAsync(path, registry);
        var values = overrides ?? [];
        values.TryAdd("Gateway:Port", LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await ServiceFixture.StartAsync(values, registryPath: path);
    }

    internal static Hj212Builder Hourly2025(string mn, string pw, int hour, decimal value, int? rf = null)
    {
        var b = Some.Hourly(mn, pw, new DateTime(2026, 1, 5, 0, 0, 0).AddHours(hour), flag: 9).Value("a21026", "Avg", value).Value("a21026", "Flag", "N");
        b.Qn = $"2026010509{hour:D2}00001";
        b.Rf = rf;
        return b;
    }

    internal static byte[] Encrypted(Hj212Builder b, string key) => Hj212Cipher.Encrypt(Hj212Encoder.Encode(b.Build()), Sm4Key.Parse(key));

    [Fact]
    public async Task EncryptedFramesOverTcp_AreStoredAsThePlainOnes_AndGetPlain2025RepliesAfterTheCommit()
    {
        await using var service = await StartAsync(Registry());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var frames = new List<byte>();
        for (int h = 0; h < 6; h++)
        {
            var b = Hourly2025("QHXN0010001", "123456", h, 10m + h, rf: h % 2 == 0 ? 1 : null);
            frames.AddRange(h < 3 ? Encrypted(b, GasKey) : Hj212Encoder.Encode(b.Build())); // optional: plain accepted too
        }

        var bytes = frames.ToArray();
        for (int i = 0; i < bytes.Length; i += 13)
        {
            await stream.WriteAsync(bytes.AsMemory(i, Math.Min(13, bytes.Length - i))); // cut anywhere
        }

        var reader = System.IO.Pipelines.PipeReader.Create(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int replies = 0;
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: cts.Token))
        {
            Assert.False(chunk.Scan.Encrypted, "replies go plain");
            var reply = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan).Packet!;
            Assert.Equal("9014", reply.Cn);
            Assert.Equal(8, reply.Flag); // HJ 212-2025, no reply asked
            Assert.True((await service.CountsAsync()).Readings >= replies + 1);
            if (++replies == 6)
            {
                break;
            }
        }

        var readings = await service.App.Services.GetRequiredService<IReadingStore>().QueryReadingsAsync(
            new ReadingQuery("2061", new DateTime(2026, 1, 5), new DateTime(2026, 1, 6), "QHXN0010001"), CancellationToken.None);
        var so2 = readings.Where(r => r.Pollutant == "a21026").OrderBy(r => r.Period).ToList();
        Assert.Equal([10.0, 11.0, 12.0, 13.0, 14.0, 15.0], so2.Select(r => r.Avg!.Value));
        Assert.Equal([1, null, 1, null, 1, null], so2.Select(r => r.Rf));

        // /metrics counts the back-filled and the encrypted frames.
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("em_frames_backfilled_total 3\n", metrics, StringComparison.Ordinal);
        Assert.Contains("em_frames_encrypted_total 3\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncryptedFramesOverMqtt_AreStored_AndTheKeyRulesGiveTheirReasons()
    {
        await using var service = await StartAsync(Registry());
        async Task PublishAsync(string mn, string pw, byte[] payload)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            // A client id of its own per connection: this test is about the key rules, not about the broker's
            // takeover of a session reconnected at once under the same id (under load that raced: once in the CI-like runs).
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", service.MqttPort).WithCredentials(mn, pw)
                .WithClientId($"{mn}-{Guid.NewGuid():N}"[..30]).WithProtocolVersion(MqttProtocolVersion.V500).Build());
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"emission/{mn}/up").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await client.DisconnectAsync();
        }

        await PublishAsync("QHXN0010001", "123456", Encrypted(Hourly2025("QHXN0010001", "123456", 1, 20m), GasKey));
        await PublishAsync("QHXN0010001", "123456", Encrypted(Hourly2025("QHXN0010001", "123456", 2, 21m), "WrongWrongWrong1"));
        await PublishAsync("QHXN0020001", "654321", Encrypted(Hourly2025("QHXN0020001", "654321", 1, 5m), GasKey)); // no key for it
        await PublishAsync("QHXN0010001", "123456", Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Encrypted(Hourly2025("QHXN0010001", "123456", 3, 22m), GasKey))
            .Replace(",0x", ",0xZ", StringComparison.Ordinal)));
        await Waiting.UntilAsync(async () => (await service.CountsAsync()).FramesByReason.Values.Sum() + (await service.CountsAsync()).Readings >= 4, TimeSpan.FromSeconds(15), "four frames stored");
        var counts = await service.CountsAsync();
        Assert.Equal(1, counts.FramesByReason.GetValueOrDefault("crc-mismatch"));
        Assert.Equal(1, counts.FramesByReason.GetValueOrDefault("no-key"));
        Assert.Equal(1, counts.FramesByReason.GetValueOrDefault("bad-cipher"));
        var frames = await service.App.Services.GetRequiredService<IReadingStore>().QueryFramesAsync(new FrameQuery(null, null, 100), CancellationToken.None);
        var wrong = frames.Single(f => f.Reason == "crc-mismatch");
        Assert.Contains("after decryption", wrong.Detail, StringComparison.Ordinal);
        Assert.StartsWith("##", Encoding.ASCII.GetString(wrong.Raw)); // archived as received, encrypted
        Assert.DoesNotContain(GasKey, string.Join("\n", frames.Select(f => f.Detail)), StringComparison.Ordinal);
        Assert.DoesNotContain(service.LoggedErrors, e => e.Contains(GasKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Required_RejectsPlainDataFrames_AndOff_ArchivesEncryptedOnesAsNoKey()
    {
        await using var service = await StartAsync(Registry(" \"encryption\": \"required\","));
        var intake = service.App.Services.GetRequiredService<EmissionMonitor.Intake.IntakeProcessor>();
        var plain = intake.Process(Some.Received(Hourly2025("QHXN0010001", "123456", 1, 5m).Build()) with { Transport = EmissionMonitor.Intake.Transport.Import });
        Assert.Equal("not-encrypted", plain.Rejection);
        var heartbeat = new Hj212Builder { Qn = "20260105090000001", St = "31", Cn = "9015", Pw = "123456", Mn = "QHXN0010001", Flag = 8 }.Build();
        Assert.Null(intake.Process(Some.Received(heartbeat) with { Transport = EmissionMonitor.Intake.Transport.Import }).Rejection); // not a CN that must be encrypted
        var encrypted = new EmissionMonitor.Intake.ReceivedFrame(Encrypted(Hourly2025("QHXN0010001", "123456", 1, 5m), GasKey), EmissionMonitor.Intake.Transport.Import, "t", DateTimeOffset.UtcNow);
        Assert.True(intake.Process(encrypted).IsAccepted);

        await using var off = await StartAsync(Registry(" \"encryption\": \"off\","));
        var offIntake = off.App.Services.GetRequiredService<EmissionMonitor.Intake.IntakeProcessor>();
        Assert.Equal("no-key", offIntake.Process(encrypted).Rejection);
    }

    [Fact]
    public async Task KeyRotation_AnswersWithANewKeyEncryptedWithTheOldOne_AndTheOldKeyStillDecryptsInTheGrace()
    {
        await using var service = await StartAsync(Registry());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var request = new Hj212Builder { Qn = "20260105100000001", St = "31", Cn = "1014", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }
            .Param("SKCreateTime", "20251001000000000").Build();
        await stream.WriteAsync(Hj212Cipher.Encrypt(Hj212Encoder.Encode(request), Sm4Key.Parse(GasKey)));
        var reader = System.IO.Pipelines.PipeReader.Create(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Hj212Packet? answer = null;
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: cts.Token))
        {
            Assert.True(chunk.Scan.Encrypted, "the answer carrying a key is encrypted");
            Assert.Equal(Hj212Errors.CrcMismatch, Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan, new DecodeOptions { Keys = _ => [Sm4Key.Parse("WrongWrongWrong1")] }).Error);
            var decoded = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan, new DecodeOptions { Keys = _ => [Sm4Key.Parse(GasKey)] });
            Assert.True(decoded.IsOk, decoded.Detail);
            answer = decoded.Packet;
            break;
        }

        Assert.Equal("1014", answer!.Cn);
        Assert.Equal("20260105100000001", answer.Qn);
        string newKey = answer.Params.Single(p => p.Key == "NewSK").Value;
        Assert.Matches("^[A-Za-z0-9]{16}$", newKey);
        Assert.NotEqual(GasKey, newKey);
        Assert.Matches(@"^\d{17}$", answer.Params.Single(p => p.Key == "SKCreateTime").Value);

        var intake = service.App.Services.GetRequiredService<EmissionMonitor.Intake.IntakeProcessor>();
        EmissionMonitor.Intake.ReceivedFrame Frame(byte[] raw) => new(raw, EmissionMonitor.Intake.Transport.Import, "t", DateTimeOffset.UtcNow);
        Assert.True(intake.Process(Frame(Encrypted(Hourly2025("QHXN0010001", "123456", 1, 5m), newKey))).IsAccepted, "the new key");
        Assert.True(intake.Process(Frame(Encrypted(Hourly2025("QHXN0010001", "123456", 2, 5m), GasKey))).IsAccepted, "the old key, in its grace");

        var stored = await service.App.Services.GetRequiredService<IStore>().QueryTerminalKeysAsync(CancellationToken.None);
        Assert.Equal(["registry", "rotation"], stored.Where(k => k.Mn == "QHXN0010001").Select(k => k.Source));
        Assert.Equal(newKey, stored[^1].Key);

        using var http = new HttpClient { BaseAddress = service.HttpBase };
        string stations = await http.GetStringAsync("/api/stations");
        Assert.DoesNotContain(newKey, stations, StringComparison.Ordinal);
        Assert.DoesNotContain(GasKey, stations, StringComparison.Ordinal);
        var outlet = JsonDocument.Parse(stations).RootElement.EnumerateArray().SelectMany(e => e.GetProperty("outlets").EnumerateArray())
            .Single(o => o.GetProperty("mn").GetString() == "QHXN0010001");
        Assert.Equal("rotation", outlet.GetProperty("key").GetProperty("source").GetString());
        Assert.Equal("optional", outlet.GetProperty("encryption").GetString());
    }

    /// <summary>Sends a CN 1014 request encrypted with <paramref name="sendWith"/> and reads the answer with <paramref name="readWith"/>: its NewSK.</summary>
    private static async Task<string> AskNewKeyAsync(ServiceFixture service, string qn, string sendWith, string readWith)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", service.GatewayPort);
        var stream = tcp.GetStream();
        var request = new Hj212Builder { Qn = qn, St = "31", Cn = "1014", Pw = "123456", Mn = "QHXN0010001", Flag = 9 }.Param("SKCreateTime", "20251001000000000").Build();
        await stream.WriteAsync(Hj212Cipher.Encrypt(Hj212Encoder.Encode(request), Sm4Key.Parse(sendWith)));
        var reader = System.IO.Pipelines.PipeReader.Create(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, cancellationToken: cts.Token))
        {
            var decoded = Hj212Decoder.DecodeFrame(chunk.Bytes.Span, chunk.Scan, new DecodeOptions { Keys = _ => [Sm4Key.Parse(readWith)] });
            Assert.True(decoded.IsOk, decoded.Detail);
            return decoded.Packet!.Params.Single(p => p.Key == "NewSK").Value;
        }

        throw new InvalidOperationException("no answer");
    }

    [Fact]
    public async Task RepeatedKeyRequests_WithinTheRotationInterval_GetTheSameNewKey_AndRecordNothingMore()
    {
        await using var service = await StartAsync(Registry());
        string first = await AskNewKeyAsync(service, "20260105100000001", GasKey, GasKey);
        // The answer was lost: the terminal asks again with the key it still has.
        Assert.Equal(first, await AskNewKeyAsync(service, "20260105100000002", GasKey, GasKey));
        // A terminal asking in a loop cannot grow the store.
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(first, await AskNewKeyAsync(service, $"202601051000001{i:00}", GasKey, GasKey));
        }

        var stored = await service.App.Services.GetRequiredService<IStore>().QueryTerminalKeysAsync(CancellationToken.None);
        Assert.Equal(["registry", "rotation"], stored.Where(k => k.Mn == "QHXN0010001").Select(k => k.Source));
    }

    [Fact]
    public async Task AKeyRequestEncryptedWithTheNewKey_IsAnsweredWithThatKey()
    {
        await using var service = await StartAsync(Registry(), new Dictionary<string, string?> { ["Security:KeyRotationInterval"] = "00:00:00" });
        string second = await AskNewKeyAsync(service, "20260105100000001", GasKey, GasKey);
        // Rotating again at once: the request comes encrypted with the second key, and so does the answer.
        string third = await AskNewKeyAsync(service, "20260105100000002", second, second);
        Assert.NotEqual(second, third);
        var stored = await service.App.Services.GetRequiredService<IStore>().QueryTerminalKeysAsync(CancellationToken.None);
        Assert.Equal(["registry", "rotation", "rotation"], stored.Where(k => k.Mn == "QHXN0010001").Select(k => k.Source));
    }

    [Fact]
    public async Task AnOperatorsNewKey_IsReturnedOnce_AndDecryptsAtOnce()
    {
        await using var service = await StartAsync(Registry());
        using var http = new HttpClient { BaseAddress = service.HttpBase };
        var made = await http.PostAsJsonAsync("/api/outlets/QHXN0020001/key", new { });
        Assert.Equal(System.Net.HttpStatusCode.Created, made.StatusCode);
        Assert.Equal("no-store", made.Headers.CacheControl?.ToString());
        string key = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        Assert.Matches("^[A-Za-z0-9]{16}$", key);

        var given = await http.PostAsJsonAsync("/api/outlets/QHXN0010001/key", new { key = "Given-Key-123456" });
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(await given.Content.ReadAsStringAsync()).RootElement.GetProperty("key").ValueKind);
        var bad = await http.PostAsJsonAsync("/api/outlets/QHXN0010001/key", new { key = "short-secret" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.DoesNotContain("short-secret", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/outlets/NOPE/key", new { })).StatusCode);

        var intake = service.App.Services.GetRequiredService<EmissionMonitor.Intake.IntakeProcessor>();
        var water = new Hj212Builder { Qn = "20260105100000001", St = "32", Cn = "2061", Pw = "654321", Mn = "QHXN0020001", Flag = 9 }
            .DataTime(new DateTime(2026, 1, 5, 9, 0, 0)).Value("w01018", "Avg", 12.5m).Value("w01018", "Flag", "N");
        var result = intake.Process(new EmissionMonitor.Intake.ReceivedFrame(Encrypted(water, key), EmissionMonitor.Intake.Transport.Import, "t", DateTimeOffset.UtcNow));
        Assert.True(result.IsAccepted, result.Detail);
        Assert.True(intake.Process(new EmissionMonitor.Intake.ReceivedFrame(Encrypted(Hourly2025("QHXN0010001", "123456", 1, 5m), "Given-Key-123456"),
            EmissionMonitor.Intake.Transport.Import, "t", DateTimeOffset.UtcNow)).IsAccepted, "the operator's key wins over the unchanged registry key");
    }
}
