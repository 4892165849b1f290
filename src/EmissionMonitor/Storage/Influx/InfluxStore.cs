using EmissionMonitor.Intake;
using EmissionMonitor.Storage.Sqlite;
using Polly;

namespace EmissionMonitor.Storage.Influx;

/// <summary>
/// The InfluxDB backend. A commit goes first to the durable local buffer (SQLite under the data
/// folder: first-wins readings, every frame archived, an outbox of what is new) — so terminals are
/// acknowledged whether or not InfluxDB is reachable — and a forwarder drains the outbox to
/// InfluxDB in order through one Polly pipeline (timeout, retry with backoff and jitter, circuit
/// breaker). Re-sending a batch after a failure rewrites the same points, so nothing is duplicated.
/// Queries read InfluxDB (shared by every instance) and add what this instance has not forwarded yet.
/// Operator records (every kind of keyed document, and alerts) go the same way, so every instance sees them.
/// </summary>
public sealed partial class InfluxStore : IStore
{
    private readonly TimeProvider _clock;
    private const int BatchSize = 5000;
    private readonly SqliteStore _buffer;
    private readonly InfluxConnection _connection;
    private readonly string _url;
    private readonly TimeSpan _dedupeWindow;
    private readonly TimeZoneInfo _zone;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _runsOwnForwarder;
    private Task? _forwarder;
    private int _disposed;

    /// <param name="options">The server and its limits.</param>
    /// <param name="dataDirectory">Where the local buffer lives.</param>
    /// <param name="zone">The time zone of HJ 212 local times.</param>
    /// <param name="logger">Where forwarding failures are logged.</param>
    /// <param name="clock">The clock (system by default).</param>
    /// <param name="pipeline">
    /// The named pipeline from DI; when given, the service runs the forwarder (<see cref="InfluxForwarding"/>).
    /// Without it (one-shot commands, tests) the store builds the pipeline and runs its own forwarder.
    /// </param>
    /// <param name="dedupeWindow">How long the buffer keeps readings for first-wins duplicate detection (Intake:MaxAge; 400 days by default).</param>
    public InfluxStore(InfluxOptions options, string dataDirectory, TimeZoneInfo zone, ILogger<InfluxStore> logger, TimeProvider? clock = null,
        ResiliencePipeline? pipeline = null, TimeSpan? dedupeWindow = null)
    {
        _dedupeWindow = dedupeWindow ?? TimeSpan.FromDays(400);
        _clock = clock ?? TimeProvider.System;
        _buffer = new SqliteStore(dataDirectory, outbox: true, clock: _clock);
        _connection = new InfluxConnection(options, _clock);
        _url = options.Url;
        _zone = zone;
        _logger = logger;
        _pipeline = pipeline ?? InfluxPipeline.Build(options);
        _runsOwnForwarder = pipeline is null;
    }

    /// <summary>Entries not yet in InfluxDB, and how long the oldest has waited (metrics, readiness).</summary>
    public Task<(long Depth, DateTimeOffset? Oldest)> BufferStateAsync(CancellationToken ct) => _buffer.OutboxStateAsync(ct);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _buffer.InitializeAsync(cancellationToken);
        try
        {
            await _connection.EnsureDatabaseAsync(cancellationToken);
            await MoveLegacyRecordsAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(_logger, e.Message); // the buffer keeps everything until it is back
        }

        _ready.TrySetResult();
        if (_runsOwnForwarder)
        {
            _forwarder = Task.Run(() => ForwardAsync(_stop.Token), CancellationToken.None);
        }
    }

    /// <summary>Runs the forwarder until <paramref name="stoppingToken"/> fires or the store closes (the service's hosted forwarder).</summary>
    public async Task RunForwarderAsync(CancellationToken stoppingToken)
    {
        await _ready.Task.WaitAsync(stoppingToken);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stop.Token);
        _forwarder = ForwardAsync(both.Token);
        try
        {
            await _forwarder;
        }
        catch (OperationCanceledException)
        {
            // stopped between batches: what is not forwarded stays in the buffer for the next start
        }
    }

    public async Task<IReadOnlyList<StoredOutcome>> CommitAsync(IReadOnlyList<IntakeResult> batch, CancellationToken cancellationToken)
    {
        var outcomes = await _buffer.CommitAsync(batch, cancellationToken);
        _wake.Release();
        return outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // the host closes the store on stop, and the container disposes it again
        }

        await FlushAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        await _stop.CancelAsync();
        if (_forwarder is not null)
        {
            try
            {
                await _forwarder;
            }
            catch (OperationCanceledException)
            {
                // stopped between batches: what is not forwarded stays in the buffer for the next start
            }
        }

        await _buffer.DisposeAsync();
        _connection.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "InfluxDB unreachable at start ({Reason}); readings are kept in the local buffer")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
