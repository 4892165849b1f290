using System.Diagnostics;
using System.IO.Pipelines;
using EmissionMonitor.Configuration;
using EmissionMonitor.Diagnostics;
using EmissionMonitor.Hj212.Framing;
using EmissionMonitor.Intake;
using EmissionMonitor.Storage;
using EmissionMonitor.Storage.Journaling;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmissionMonitor.Cli;

/// <summary>
/// <c>import FILE...</c>: archived frames (gzip allowed) through the same intake and journal as live
/// data. Live-only checks (DataTime in the future or too old) do not apply, and no alerts are raised.
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var parsed = CliArguments.Parse(args, ["--config", "--data"], []);
        if (parsed.Positional.Count == 0)
        {
            throw new UsageException("import needs at least one FILE");
        }

        foreach (var file in parsed.Positional)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"input file not found: {file}");
            }
        }

        var settings = AppSettings.Load(parsed.Value("--config") ?? "config", parsed.Value("--data"));
        var registry = settings.LoadRegistry();
        var intake = new IntakeProcessor(() => registry, settings.Intake, settings.TimeZone, TimeProvider.System);
        await using var store = await settings.OpenStoreAsync(registry, cancellationToken);
        var metrics = new IngestMetrics();
        var stopwatch = Stopwatch.StartNew();
        var storage = settings.Storage.ForImport(registry.Outlets.Count());
        await using (var journal = new Journal(store, storage, metrics, NullLogger<Journal>.Instance))
        {
            foreach (var file in parsed.Positional)
            {
                // Two batches in flight: the next fills while one commits (fewer would cap the batch below Storage:ImportBatch).
                await ImportFileAsync(file, intake, journal, metrics, 2 * storage.CommitBatch, cancellationToken);
            }
        }

        double seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"imported {metrics.Frames} frames in {seconds:F1} s ({metrics.Frames / Math.Max(seconds, 0.001):F0} frames/s)");
        Console.WriteLine($"accepted {metrics.Status(StoredOutcome.Accepted)}, duplicates {metrics.Status(Reasons.Duplicate) + metrics.Status(Reasons.DuplicateConflict)}, rejected {metrics.Status(StoredOutcome.Rejected)}; new readings {metrics.Readings}");
        foreach (var (reason, count) in metrics.ByReason.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {reason,-20} {count}");
        }

        return metrics.CommitFailures == 0 ? 0 : 1;
    }

    private static async Task ImportFileAsync(string file, IntakeProcessor intake, Journal journal, IngestMetrics metrics, int inFlight,
        CancellationToken cancellationToken)
    {
        await using var input = InputFiles.Open(file);
        var reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 1 << 16));
        var pending = new Queue<Task<StoredOutcome>>();
        var progress = new Progress(file);
        var garbage = new GarbageRun(intake.Options.MaxArchivedGarbage); // a run of garbage is archived once, as on the TCP link
        await foreach (var chunk in Hj212Framer.ReadAsync(reader, intake.Framing, cancellationToken))
        {
            var now = TimeProvider.System.GetUtcNow();
            if (garbage.TryAdd(chunk, now))
            {
                continue;
            }

            if (garbage.Take(Transport.Import, file) is { } run)
            {
                pending.Enqueue(journal.SubmitAsync(run, cancellationToken));
            }

            var frame = new ReceivedFrame(chunk.Bytes, Transport.Import, file, now);
            pending.Enqueue(journal.SubmitAsync(intake.Process(frame, chunk.Scan), cancellationToken));
            while (pending.Count >= inFlight || (pending.Count > 0 && pending.Peek().IsCompleted))
            {
                await pending.Dequeue();
            }

            progress.Report(metrics.Frames);
        }

        if (garbage.Take(Transport.Import, file) is { } last)
        {
            pending.Enqueue(journal.SubmitAsync(last, cancellationToken));
        }

        while (pending.Count > 0)
        {
            await pending.Dequeue();
        }

        await reader.CompleteAsync();
        progress.Done(metrics.Frames);
    }

    /// <summary>A progress line on a terminal's stderr, redrawn at most twice a second.</summary>
    private sealed class Progress(string file)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last;

        public void Report(long frames)
        {
            if (Console.IsErrorRedirected || _clock.Elapsed - _last < TimeSpan.FromMilliseconds(500))
            {
                return;
            }

            _last = _clock.Elapsed;
            Console.Error.Write($"\r{Path.GetFileName(file)}: {frames} frames, {frames / Math.Max(_clock.Elapsed.TotalSeconds, 0.001):F0}/s   ");
        }

        public void Done(long frames)
        {
            if (!Console.IsErrorRedirected)
            {
                Console.Error.WriteLine($"\r{Path.GetFileName(file)}: {frames} frames in {_clock.Elapsed.TotalSeconds:F1} s          ");
            }
        }
    }
}
