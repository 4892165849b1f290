using System.Collections.Concurrent;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Security;

/// <summary>
/// The data loggers' hardware identities (HJ 212-2025 CN 1001), per MN: the current one and the
/// one before it in memory (loaded from the store at start), every first report and every change
/// recorded in the store. A swapped data logger is how data fraud often starts, so a change is
/// returned to the caller (the alert service raises <c>identity-changed</c>).
/// </summary>
public sealed partial class TerminalIdentities(IRecordStore store, ILogger<TerminalIdentities> logger) : IDisposable
{
    /// <summary>The identity codes of CN 1001, in the order the standard lists them.</summary>
    public const string LoggerCode = "i23005", CpuCode = "i23006", Mac1Code = "i23007", Mac2Code = "i23008";

    private readonly ConcurrentDictionary<string, (TerminalIdentity Current, TerminalIdentity? Previous)> _byMn = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, (DateOnly Day, List<TerminalIdentity> Identities)> _recordedToday = new(StringComparer.Ordinal);

    /// <summary>Distinct identities of one terminal recorded in one day at most.</summary>
    public const int MaxIdentitiesPerDay = 16;

    /// <summary>Reads the recorded identities (the newest two of each MN are kept in memory).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var identity in await store.QueryTerminalIdentitiesAsync(cancellationToken))
        {
            _byMn[identity.Mn] = (identity, _byMn.TryGetValue(identity.Mn, out var known) ? known.Current : null);
        }
    }

    /// <summary>The terminal's current identity and the one before it, or nulls.</summary>
    public (TerminalIdentity? Current, TerminalIdentity? Previous) Of(string mn) =>
        _byMn.TryGetValue(mn, out var known) ? (known.Current, known.Previous) : (null, null);

    /// <summary>
    /// The identity a CN 1001 packet reports (the <c>-Info</c> of <c>i23005</c>…<c>i23008</c>, each cut
    /// to <see cref="TerminalIdentity.MaxFieldLength"/>), or null when it reports none of them.
    /// </summary>
    public static TerminalIdentity? Parse(string mn, Hj212Packet packet, DateTimeOffset at)
    {
        string? Info(string code)
        {
            var text = packet.Values.FirstOrDefault(v => v.Code == code && string.Equals(v.Suffix, "Info", StringComparison.OrdinalIgnoreCase))?.Text.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            text = text.Length > TerminalIdentity.MaxFieldLength ? text[..TerminalIdentity.MaxFieldLength] : text;
            return text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? '?' : c)) : text; // never a line break into a log
        }

        var (loggerId, cpuId, mac1, mac2) = (Info(LoggerCode), Info(CpuCode), Info(Mac1Code), Info(Mac2Code));
        if (loggerId is null && cpuId is null && mac1 is null && mac2 is null)
        {
            return null;
        }

        var macs = string.Join(",", new[] { mac1, mac2 }.Where(m => m is not null));
        return new TerminalIdentity(mn, loggerId, cpuId, macs.Length == 0 ? null : macs, at);
    }

    /// <summary>
    /// Takes a reported identity: recorded when it is the terminal's first or differs from its
    /// current one. Returns the identity it replaced when the hardware changed, else null.
    /// </summary>
    public async Task<TerminalIdentity?> ObserveAsync(TerminalIdentity reported, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (current, _) = Of(reported.Mn);
            if (current is not null && current.SameHardware(reported))
            {
                return null;
            }

            // One record per distinct identity per day: a terminal (or an impostor) alternating two
            // identities is recorded once for each, not once per frame.
            var day = DateOnly.FromDateTime(reported.ReportedAt.UtcDateTime);
            var recorded = _recordedToday.AddOrUpdate(reported.Mn, _ => (day, []), (_, r) => r.Day == day ? r : (day, []));
            bool already;
            lock (recorded.Identities)
            {
                already = recorded.Identities.Any(i => i.SameHardware(reported));
                if (!already && recorded.Identities.Count < MaxIdentitiesPerDay)
                {
                    recorded.Identities.Add(reported);
                }
                else
                {
                    already = true; // beyond the day's bound nothing more is written
                }
            }

            if (!already)
            {
                await store.AddTerminalIdentityAsync(reported, cancellationToken);
            }

            _byMn[reported.Mn] = (reported, current);
            if (current is null)
            {
                LogFirst(logger, reported.Mn, reported.LoggerId ?? "none");
                return null;
            }

            LogChanged(logger, reported.Mn, reported.ChangesFrom(current));
            return current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminal {Mn} reported its hardware identity (logger {LoggerId})")]
    private static partial void LogFirst(ILogger logger, string mn, string loggerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Terminal {Mn} changed its hardware: {Changes}")]
    private static partial void LogChanged(ILogger logger, string mn, string changes);
}
