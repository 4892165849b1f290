using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// One family of alert rules. It reacts to committed data (<see cref="OnCommittedAsync"/>, a frame at
/// a time, each outlet's in order) and/or to the clock (<see cref="OnTickAsync"/>, every few
/// seconds), and raises and clears alerts through the <see cref="IAlertDesk"/>. A new rule is one
/// new class and one registration in the composition root; the desk (<see cref="AlertService"/>)
/// owns the book, the store, publishing, the budget and the backlog.
/// </summary>
public interface IAlertRule
{
    /// <summary>A committed live frame of a known outlet that counts as the terminal being seen.</summary>
    ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct) => ValueTask.CompletedTask;

    /// <summary>The clock's turn: checks that depend on time passing (silence, daily rates, key age, …).</summary>
    ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct) => ValueTask.CompletedTask;
}

/// <summary>What the rules raise and clear alerts through (the <see cref="AlertService"/>).</summary>
public interface IAlertDesk
{
    /// <summary>The service's clock now.</summary>
    DateTimeOffset Now { get; }

    /// <summary>The time zone of local times (HJ 212's DataTime, report days).</summary>
    TimeZoneInfo Zone { get; }

    /// <summary>Raises the draft's alert (nothing when one of its kind, outlet and pollutant is open); the alert raised, or null.</summary>
    Task<Alert?> RaiseAsync(AlertDraft draft, CancellationToken ct);

    /// <summary>Clears the open alert of (kind, sub-kind, mn, pollutant); the alert cleared, or null.</summary>
    Task<Alert?> ResolveAsync(string kind, string mn, string? pollutant, CancellationToken ct, string? subKind = null);

    /// <summary>The open alerts of a kind.</summary>
    IEnumerable<Alert> Open(string kind);

    /// <summary>Changes the open alert of (kind, mn, pollutant) — its value, message, parameters — stored and published again; null when none is open.</summary>
    Task<Alert?> UpdateAsync(string kind, string mn, string? pollutant, Func<Alert, Alert> change, CancellationToken ct);
}

/// <summary>A committed frame as the rules see it: the intake's result, how it was stored, its outlet and enterprise, and when it was evaluated.</summary>
public sealed record CommittedFrame(IntakeResult Item, StoredOutcome Outcome, Outlet Outlet, Enterprise? Enterprise, DateTimeOffset Now)
{
    /// <summary>
    /// True when the frame's data is about now: not back-filled (RF=1) and its data time (if any)
    /// within Alerts:LiveWindow of the service clock. Only such data raises live alerts.
    /// </summary>
    public bool Live { get; init; } = true;

    /// <summary>The frame's CN.</summary>
    public string? Cn => Item.Packet?.Cn;

    /// <summary>True for newly stored readings of a data CN (not a resend, not a standard-sample check or an identity report).</summary>
    public bool IsNewReadings => Item.Kind == FrameKind.Reading && Outcome.Status == StoredOutcome.Accepted
        && Cn is not (Hj212.Cns.StandardCheck or Hj212.Cns.HardwareIdentity);
}
