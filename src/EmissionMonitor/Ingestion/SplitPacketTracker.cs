using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Hj212.Splitting;

namespace EmissionMonitor.Ingestion;

/// <summary>
/// Records whether split packets (PNUM/PNO) complete. Each part is taken in, committed and answered
/// on its own (their pollutants are disjoint); this only counts complete and incomplete sets and logs
/// the sets given up after <c>Intake:SplitTimeout</c>.
/// </summary>
public sealed partial class SplitPacketTracker(TimeSpan timeout, TimeProvider clock, ILogger<SplitPacketTracker> logger)
{
    private readonly SplitPacketAssembler _assembler = new(timeout);
    private readonly Lock _lock = new();
    private long _completed;
    private long _incomplete;

    public long Completed => Interlocked.Read(ref _completed);

    public long Incomplete => Interlocked.Read(ref _incomplete);

    public void Record(Hj212Packet part)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_assembler.Add(part, now).Status == SplitStatus.Completed)
            {
                Interlocked.Increment(ref _completed);
            }

            foreach (var set in _assembler.Expire(now))
            {
                Interlocked.Increment(ref _incomplete);
                LogIncomplete(logger, set.Mn, set.Cn, set.DataTime, set.Parts.Count, set.Total);
            }
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Split packet of {Mn} CN={Cn} DataTime={DataTime} incomplete: {Parts} of {Total} parts")]
    private static partial void LogIncomplete(ILogger logger, string mn, string cn, string dataTime, int parts, int total);
}
