using EmissionMonitor.Alerts;
using EmissionMonitor.Alerts.Rules;
using EmissionMonitor.Hj212.Packets;
using EmissionMonitor.Intake;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Tests.Alerts;

/// <summary>The desk the rules see, over a real book and a fake clock; it keeps every change.</summary>
internal sealed class RuleDesk(TimeProvider clock) : IAlertDesk
{
    public static readonly TimeZoneInfo Shanghai = new EmissionMonitor.Compliance.ComplianceOptions().ResolveTimeZone();

    public AlertBook Book { get; } = new(new AlertOptions { MaxNewPerOutletPerHour = 0 });

    public List<Alert> Changes { get; } = [];

    public DateTimeOffset Now => clock.GetUtcNow();

    public TimeZoneInfo Zone => Shanghai;

    public Task<Alert?> RaiseAsync(AlertDraft draft, CancellationToken ct) => Task.FromResult(Keep(Book.Raise(draft, Now)));

    public Task<Alert?> ResolveAsync(string kind, string mn, string? pollutant, CancellationToken ct, string? subKind = null) =>
        Task.FromResult(Keep(Book.Resolve(kind, mn, pollutant, Now, subKind)));

    public Task<Alert?> UpdateAsync(string kind, string mn, string? pollutant, Func<Alert, Alert> change, CancellationToken ct) =>
        Task.FromResult(Keep(Book.Update(kind, mn, pollutant, change)));

    public IEnumerable<Alert> Open(string kind) => Book.Open(kind);

    /// <summary>The packet through the real intake at the clock's time, as the rules see it once stored (accepted).</summary>
    public static CommittedFrame Commit(Hj212Packet packet, TimeProvider clock, StationRegistry? registry = null)
    {
        var current = registry ?? Some.Registry();
        return Committed(Intake(packet, clock, current), clock, current);
    }

    /// <summary>The packet through the real intake at the clock's time, accepted.</summary>
    public static IntakeResult Intake(Hj212Packet packet, TimeProvider clock, StationRegistry? registry = null)
    {
        var current = registry ?? Some.Registry();
        var item = new IntakeProcessor(() => current, new IntakeOptions { MaxAge = TimeSpan.FromDays(3650) }, Shanghai, clock).Process(Some.Received(packet, at: clock.GetUtcNow()));
        Assert.True(item.IsAccepted, item.Detail);
        return item;
    }

    /// <summary>An accepted intake result as the rules see it once stored.</summary>
    public static CommittedFrame Committed(IntakeResult item, TimeProvider clock, StationRegistry? registry = null) =>
        new(item, new StoredOutcome(1, StoredOutcome.Accepted, null, item.Readings.Count), item.Outlet!, (registry ?? Some.Registry()).FindEnterprise(item.Outlet!.EnterpriseId), clock.GetUtcNow());

    private Alert? Keep(Alert? a)
    {
        if (a is not null)
        {
            Changes.Add(a);
        }

        return a;
    }
}
