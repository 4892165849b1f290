using BenchmarkDotNet.Attributes;
using EmissionMonitor.Compliance;
using EmissionMonitor.Hj212;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Sqlite;

namespace EmissionMonitor.Benchmarks;

/// <summary>Intake checks (authenticate, validate, readings) over decoded field-day frames, and the SQLite group commit.</summary>
[MemoryDiagnoser]
public class IntakeBenchmarks
{
    private (ReceivedFrame Frame, Hj212Packet Packet)[] _frames = [];
    private IntakeProcessor _intake = null!;
    private IntakeResult[] _results = [];
    private SqliteStore? _store;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var raw = Frames.FieldDay(20_000);
        var now = DateTimeOffset.UtcNow;
        _frames = raw.Select(f => (new ReceivedFrame(f, Transport.Import, "bench", now), Hj212Decoder.Decode(f).Packet!)).Where(p => p.Item2 is not null).ToArray();
        var outlets = _frames.Select(f => f.Packet.Mn).Where(m => m is not null).Distinct()
            .Select(mn => $"{{\"mn\":\"{mn}\",\"password\":\"123456\",\"kind\":\"gas\"}}");
        var (registry, _) = RegistryLoader.Parse("{\"enterprises\":[{\"id\":\"B\",\"name\":\"b\",\"city\":\"c\",\"outlets\":[" + string.Join(",", outlets) + "]}]}", "bench");
        // As the service runs it: with the login throttle (an empty table unless logins fail).
        var options = new IntakeOptions();
        _intake = new IntakeProcessor(() => registry!, options, new ComplianceOptions().ResolveTimeZone(), TimeProvider.System, new LoginThrottle(options, TimeProvider.System));
        _results = _frames.Select(f => _intake.Check(f.Frame, f.Packet)).ToArray();
    }

    [Benchmark(Description = "intake checks, 20,000 decoded frames")]
    public int Intake()
    {
        int readings = 0;
        foreach (var (frame, packet) in _frames)
        {
            readings += _intake.Check(frame, packet).Readings.Count;
        }

        return readings;
    }

    [IterationSetup(Target = nameof(Commit))]
    public void NewStore()
    {
        _store?.DisposeAsync().AsTask().Wait();
        var dir = Path.Combine(Path.GetTempPath(), "em-bench-" + _round++);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, true);
        }

        _store = new SqliteStore(dir);
        _store.InitializeAsync(CancellationToken.None).Wait();
    }

    [Benchmark(Description = "SQLite group commit, 20,000 frames in batches of 2,000")]
    public async Task<int> Commit()
    {
        int stored = 0;
        for (int i = 0; i < _results.Length; i += 2000)
        {
            stored += (await _store!.CommitAsync(_results[i..Math.Min(i + 2000, _results.Length)], CancellationToken.None)).Count;
        }

        return stored;
    }
}
