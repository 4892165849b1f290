using System.Diagnostics;
using System.Threading.Channels;
using EmissionMonitor.Intake;

namespace EmissionMonitor.Storage.Journaling;

/// <summary>
/// Group commit in front of the store, after Serilog's batching sink: a bounded channel, batches cut
/// by size (<see cref="StorageOptions.CommitBatch"/>) or time (<see cref="StorageOptions.CommitInterval"/>),
/// one transaction per batch, and each submitter's task completed only after its batch committed —
/// that is when a transport may acknowledge. A failed commit fails every task of its batch (no
/// acknowledgement: the terminal resends) and the journal backs off before the next batch.
/// </summary>
public sealed partial class Journal : IAsyncDisposable
{
    private readonly Channel<Pending> _channel = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IBatchCommitter _store;
    private readonly StorageOptions _options;
    private readonly IJournalObserver _metrics;
    private readonly ILogger _logger;
    private readonly DiskGuard? _disk;
    private readonly TimeProvider _clock;
    private readonly Resilience.Backoff _backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5)); // after a failed commit
    private readonly Task _loop;
    private long _lastDiskLog = -1_000_000; // long ago, without overflowing the subtraction below

    public Journal(IBatchCommitter store, StorageOptions options, IJournalObserver metrics, ILogger<Journal> logger, DiskGuard? disk = null, TimeProvider? clock = null)
    {
        _store = store;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _disk = disk;
        _clock = clock ?? TimeProvider.System;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues an intake result; completes once it is durably stored (or faults if the commit failed).</summary>
    public async Task<StoredOutcome> SubmitAsync(IntakeResult item, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(item, new TaskCompletionSource<StoredOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _channel.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Frames waiting for their group commit.</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>Raised after each committed batch with its items and outcomes (evaluators, live views).</summary>
    public event Action<IReadOnlyList<IntakeResult>, IReadOnlyList<StoredOutcome>>? Committed;

    /// <summary>Stops taking frames, commits what is queued, and waits for the last batch.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<Pending>(_options.CommitBatch);
        var failures = 0;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var deadline = _clock.GetTimestamp() + (long)(_options.CommitInterval.TotalSeconds * _clock.TimestampFrequency);
            while (batch.Count < _options.CommitBatch)
            {
                if (reader.TryRead(out var next))
                {
                    batch.Add(next);
                    continue;
                }

                var left = _clock.GetElapsedTime(_clock.GetTimestamp(), deadline);
                if (batch.Count > 0 && (left <= TimeSpan.Zero || reader.Completion.IsCompleted))
                {
                    break;
                }

                using var wait = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), _clock);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (wait.IsCancellationRequested)
                {
                    break;
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            failures = await CommitAsync(batch, failures);
        }
    }

    private async Task<int> CommitAsync(List<Pending> batch, int failures)
    {
        var items = batch.ConvertAll(p => p.Item);
        long started = Stopwatch.GetTimestamp();
        IReadOnlyList<StoredOutcome> outcomes;
        try
        {
            var disk = _disk?.Check() ?? DiskState.Ample;
            if (disk == DiskState.Critical)
            {
                throw new IOException($"free disk on the data folder is below half of Storage:MinFreeMB ({_disk!.FreeBytes / 1048576} MB left)");
            }

            outcomes = disk == DiskState.Low ? await CommitWithoutGarbageAsync(items) : await _store.CommitAsync(items, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The frames of this batch are not stored: fail their tasks so nothing is acknowledged,
            // count it, and back off so a broken store is not hammered.
            LogCommitFailed(_logger, e, batch.Count);
            _metrics.CommitFailed(batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetException(new StoreUnavailableException("the store did not commit the frame", e));
            }

            await _backoff.WaitAsync(_clock, CancellationToken.None);
            return failures + 1;
        }

        _metrics.Committed(items, outcomes, Stopwatch.GetElapsedTime(started));
        for (int i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(outcomes[i]);
        }

        Notify(items, outcomes);
        _backoff.Reset();
        return 0;
    }

    /// <summary>Subscribers' failures so far (each logged): one that throws never stops the commits or the other subscribers.</summary>
    public long SubscriberFailures => Interlocked.Read(ref _subscriberFailures);

    private long _subscriberFailures;

    /// <summary>Tells each subscriber of the batch on its own: a throwing one is logged and counted, never allowed to end the commit loop.</summary>
    private void Notify(IReadOnlyList<IntakeResult> items, IReadOnlyList<StoredOutcome> outcomes)
    {
        if (Committed is not { } subscribers)
        {
            return;
        }

        foreach (var subscriber in subscribers.GetInvocationList().Cast<Action<IReadOnlyList<IntakeResult>, IReadOnlyList<StoredOutcome>>>())
        {
            try
            {
                subscriber(items, outcomes);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (Interlocked.Increment(ref _subscriberFailures) is var n && (n <= 10 || n % 1000 == 0))
                {
                    LogSubscriberFailed(_logger, e, subscriber.Method.DeclaringType?.Name ?? "?", n);
                }
            }
        }
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "A subscriber of committed frames ({Subscriber}) failed ({Failures} failures so far); the commits and the other subscribers go on")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string subscriber, long failures);

    /// <summary>
    /// Low disk: frames never authenticated (garbage) are counted and answered as rejected, not
    /// archived; every other frame is committed as usual.
    /// </summary>
    private async Task<IReadOnlyList<StoredOutcome>> CommitWithoutGarbageAsync(List<IntakeResult> items)
    {
        var kept = items.Where(i => !Reasons.IsUnauthenticated(i.Rejection)).ToList();
        int dropped = items.Count - kept.Count;
        if (dropped == 0)
        {
            return await _store.CommitAsync(items, CancellationToken.None);
        }

        _metrics.Unarchived(dropped);
        long now = Environment.TickCount64, last = Interlocked.Read(ref _lastDiskLog);
        if (now - last >= 60_000 && Interlocked.CompareExchange(ref _lastDiskLog, now, last) == last)
        {
            LogLowDisk(_logger, _disk!.FreeBytes / 1048576, _metrics.UnarchivedFrames);
        }

        var stored = kept.Count == 0 ? [] : await _store.CommitAsync(kept, CancellationToken.None);
        var outcomes = new List<StoredOutcome>(items.Count);
        int next = 0;
        foreach (var item in items)
        {
            outcomes.Add(Reasons.IsUnauthenticated(item.Rejection) ? new StoredOutcome(0, StoredOutcome.Rejected, item.Rejection, 0) : stored[next++]);
        }

        return outcomes;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Free disk on the data folder is low ({FreeMB} MB, below Storage:MinFreeMB): garbage is no longer archived ({Dropped} frames so far)")]
    private static partial void LogLowDisk(ILogger logger, long freeMB, long dropped);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Commit of {Count} frames failed; they are not acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    private sealed record Pending(IntakeResult Item, TaskCompletionSource<StoredOutcome> Done);
}
