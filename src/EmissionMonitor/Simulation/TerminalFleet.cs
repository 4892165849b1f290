using System.Diagnostics;
using EmissionMonitor.Hj212;
using EmissionMonitor.Registry;

namespace EmissionMonitor.Simulation;

/// <summary>
/// A fleet of simulated terminals, one connection per outlet, sending real-time frames at a total
/// rate, an hourly record per outlet at every full hour, and first (when asked) hourly history for
/// the past hours — so a newcomer's service has data for reports at once. Each terminal answers
/// the host's commands as real ones do (<see cref="CommandResponder"/>; <paramref name="behaviour"/>
/// says how, per terminal index) and keeps its own clock, which set-time corrects.
/// </summary>
public sealed class TerminalFleet(IReadOnlyList<Outlet> outlets, SimulationOptions options, TimeZoneInfo timeZone, TimeProvider clock,
    Func<int, TerminalBehaviour>? behaviour = null)
{
    private long _sent;
    private long _acknowledged;
    private long _failed;
    private long _skipped;
    private long _unconfirmed;

    public long Sent => Interlocked.Read(ref _sent);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Failed => Interlocked.Read(ref _failed);

    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Frames sent with nothing to confirm them (TCP frames asking no reply).</summary>
    public long Unconfirmed => Interlocked.Read(ref _unconfirmed);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);
        var tasks = outlets.Select((o, i) => RunTerminalAsync(o, i, stop.Token, cancellationToken)).ToList();
        await Task.WhenAll(tasks);
    }

    private ITerminalLink Link(Outlet outlet) => options.Target.Scheme switch
    {
        "mqtt" => new MqttTerminalLink(options.Target, outlet.Mn, outlet.Password),
        "tcp" => new TcpTerminalLink(options.Target),
        _ => throw new ArgumentException($"unknown target scheme {options.Target.Scheme}"),
    };

    /// <summary>One terminal; <paramref name="cancellationToken"/> ends the run (duration), <paramref name="abort"/> also cuts a send in flight (Ctrl-C).</summary>
    private async Task RunTerminalAsync(Outlet outlet, int index, CancellationToken cancellationToken, CancellationToken abort)
    {
        var random = new Random(index * 7919);
        var behaves = behaviour?.Invoke(index) ?? TerminalBehaviour.Default;
        var responder = new CommandResponder(outlet, behaves, options.Version, timeZone, clock, options.Encrypt ? outlet.Sm4Key : null);
        var factory = new FrameFactory(outlet, options, random, behaves, () => responder.Now); // QN: the terminal's clock when it sends
        await using var link = Link(outlet);
        try
        {
            await link.ConnectAsync(request => AnswerAsync(link, responder, factory, request, abort), abort);
            var now = responder.Now;
            await SendHistoryAsync(link, factory, behaves, now, abort);
            await SendLiveAsync(link, factory, behaves, random, () => responder.Now, now, cancellationToken, abort);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || abort.IsCancellationRequested)
        {
            // the run's end or a stop (the duration's token follows the stop a moment later when it is cancelled asynchronously)
        }
    }

    /// <summary>The terminal's answer to a request of the service (a command, a back-fill's records), sent as the behaviour says.</summary>
    private static async Task AnswerAsync(ITerminalLink link, CommandResponder responder, FrameFactory factory, Hj212.Packets.Hj212Packet request, CancellationToken abort)
    {
        try
        {
            foreach (var (wait, frame) in responder.Answer(request, at => factory.Hourly(at, backfill: true).Bytes))
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, abort);
                }

                bool isRecord = request.Cn is Cns.Hourly or Cns.Daily or Cns.Minute && !IsReply(frame);
                await link.SendAsync(frame, expectsReply: isRecord, abort);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException
            or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            // the terminal stopped or lost its link mid-answer, as a real one may
        }
    }

    /// <summary>What a terminal sends when it connects: the hours of Simulate:BackfillHours (minutes, for a minute-only one; none in its outage) and its facilities' recent power.</summary>
    private async Task SendHistoryAsync(ITerminalLink link, FrameFactory factory, TerminalBehaviour behaves, DateTime now, CancellationToken abort)
    {
        var thisHour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0);
        for (int h = options.BackfillHours; h >= 1; h--)
        {
            if (behaves.Outage is var (down, up) && thisHour.AddHours(-h) >= down && thisHour.AddHours(-h) < up)
            {
                continue; // the outage: nothing was sent
            }

            if (behaves.MinuteOnly && h <= TerminalBehaviour.MinuteHistoryHours)
            {
                for (int m = 0; m < 60; m++)
                {
                    await SendAsync(link, factory.Minute(thisHour.AddHours(-h).AddMinutes(m), backfill: true), expectsReply: true, abort);
                }

                continue;
            }

            await SendAsync(link, factory.Hourly(thisHour.AddHours(-h), backfill: true), expectsReply: true, abort);
        }

        // The facilities' power of the last hours, every few minutes (older history is not kept by such terminals here).
        for (var at = now.AddHours(-PowerHistoryHours); behaves.Facilities.Count > 0 && at < now; at = at.AddMinutes(PowerHistoryMinutes))
        {
            await SendAsync(link, factory.Power(at, backfill: true), expectsReply: false, abort);
        }
    }

    /// <summary>
    /// The terminal live until the run ends: a real-time frame at the fleet's rate (some skipped, Simulate:GapShare), each ended
    /// hour's record (each ended minute's, for a minute-only one), its facilities' power every few minutes.
    /// </summary>
    private async Task SendLiveAsync(ITerminalLink link, FrameFactory factory, TerminalBehaviour behaves, Random random, Func<DateTime> local, DateTime started,
        CancellationToken cancellationToken, CancellationToken abort)
    {
        var interval = TimeSpan.FromSeconds(outlets.Count / Math.Max(options.Rate, 0.001));
        var next = Stopwatch.GetTimestamp() + (long)(interval.TotalSeconds * Stopwatch.Frequency * random.NextDouble());
        var thisHour = new DateTime(started.Year, started.Month, started.Day, started.Hour, 0, 0);
        var (lastHour, lastMinute, lastSent, lastPower) = (thisHour, thisHour.AddMinutes(started.Minute), DateTime.MinValue, started);
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var now = local();
            var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0);
            var minute = hour.AddMinutes(now.Minute);
            if (behaves.MinuteOnly && minute > lastMinute)
            {
                for (var m = lastMinute < thisHour ? thisHour : lastMinute; m < minute; m = m.AddMinutes(1))
                {
                    await SendAsync(link, factory.Minute(m), expectsReply: true, abort); // each ended minute, no hourly record
                }

                lastMinute = minute;
            }

            if (hour > lastHour)
            {
                if (!behaves.MinuteOnly)
                {
                    await SendAsync(link, factory.Hourly(lastHour), expectsReply: true, abort);
                }

                lastHour = hour;
            }

            if (random.NextDouble() < options.GapShare)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }

            // Strictly increasing times: two frames of one terminal in one millisecond are not a resend.
            now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond));
            lastSent = now = now > lastSent ? now : lastSent.AddMilliseconds(1);
            await SendAsync(link, factory.RealTime(now), expectsReply: false, abort);
            if (behaves.Facilities.Count > 0 && now - lastPower >= PowerInterval)
            {
                await SendAsync(link, factory.Power(now), expectsReply: false, abort);
                lastPower = now;
            }
        }
    }

    private async Task SendAsync(ITerminalLink link, (byte[] Bytes, bool Broken) frame, bool expectsReply, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        bool? ok;
        try
        {
            ok = await link.SendAsync(frame.Bytes, expectsReply && !frame.Broken, cancellationToken);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or IOException or System.Net.Sockets.SocketException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ok = false; // counted as not acknowledged; a real terminal would resend it
        }

        if (ok is null)
        {
            Interlocked.Increment(ref _unconfirmed);
        }
        else
        {
            Interlocked.Increment(ref ok.Value ? ref _acknowledged : ref _failed);
        }
    }

    /// <summary>How often a terminal with facilities sends their power live, and the history it back-fills (hours, every so many minutes).</summary>
    private static readonly TimeSpan PowerInterval = TimeSpan.FromMinutes(1);

    private const int PowerHistoryHours = 48, PowerHistoryMinutes = 5;

    /// <summary>True for a 9011/9012/9013 frame (ST=91).</summary>
    private static bool IsReply(byte[] frame) => frame.AsSpan().IndexOf("ST=91;"u8) >= 0;
}
