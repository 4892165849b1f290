using System.Globalization;
using EmissionMonitor.Hj212;
using EmissionMonitor.Storage;
using static EmissionMonitor.Alerts.Rules.AlertText;

namespace EmissionMonitor.Alerts.Rules;

/// <summary>
/// HJ 212-2025 CN 2062: a <c>check-failed</c> alert per pollutant whose automatic standard-sample
/// check reports <c>-ResultType=0</c>; a later passing check (<c>1</c>) clears it.
/// </summary>
public sealed class StandardSampleRule : IAlertRule
{
    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        if (frame.Item.Packet is not { Cn: Cns.StandardCheck } check || frame.Outcome.Status != StoredOutcome.Accepted || !frame.Live)
        {
            return;
        }

        var outlet = frame.Outlet;
        foreach (var v in check.Values.Where(v => string.Equals(v.Suffix, "ResultType", StringComparison.OrdinalIgnoreCase)))
        {
            if (v.Number == 0)
            {
                var standard = check.Values.FirstOrDefault(x => x.Code == v.Code && string.Equals(x.Suffix, "StandardValue", StringComparison.OrdinalIgnoreCase))?.Number;
                var measured = check.Values.FirstOrDefault(x => x.Code == v.Code && string.Equals(x.Suffix, "SampleRd", StringComparison.OrdinalIgnoreCase))?.Number;
                var at = check.DataTime is { } t ? desk.Local(t) : frame.Now;
                await desk.RaiseAsync(AlertDraft.For(AlertKinds.CheckFailed, outlet, frame.Enterprise, v.Code, (double?)measured, (double?)standard, at,
                    $"{outlet.Name} {v.Code}: standard-sample check failed (measured {measured?.ToString(CultureInfo.InvariantCulture) ?? "?"}, standard {standard?.ToString(CultureInfo.InvariantCulture) ?? "?"})") with
                {
                    Params = Params(("outlet", outlet.Name), ("pollutant", v.Code), ("measured", measured?.ToString(CultureInfo.InvariantCulture)), ("standard", standard?.ToString(CultureInfo.InvariantCulture))),
                }, ct);
            }
            else if (v.Number == 1)
            {
                await desk.ResolveAsync(AlertKinds.CheckFailed, outlet.Mn, v.Code, ct);
            }
        }
    }
}

/// <summary>
/// HJ 212-2025 CN 1001: records the data logger's identity; a change from the one recorded raises
/// <c>identity-changed</c> (open until an operator clears it: the swap must be explained).
/// </summary>
public sealed class IdentityRule(Security.TerminalIdentities identities) : IAlertRule
{
    public async ValueTask OnCommittedAsync(CommittedFrame frame, IAlertDesk desk, CancellationToken ct)
    {
        var outlet = frame.Outlet;
        var at = frame.Item.Frame.ReceivedAt;
        if (frame.Item.Packet is not { Cn: Cns.HardwareIdentity } report
            || Security.TerminalIdentities.Parse(outlet.Mn, report, at) is not { } reported || await identities.ObserveAsync(reported, ct) is not { } before)
        {
            return;
        }

        await desk.RaiseAsync(AlertDraft.For(AlertKinds.IdentityChanged, outlet, frame.Enterprise, null, null, null, at,
            $"{outlet.Name}: data logger hardware changed ({reported.ChangesFrom(before)})") with
        {
            Params = Params(("outlet", outlet.Name), ("changes", reported.ChangesFrom(before))),
        }, ct);
    }
}

/// <summary>A <c>key-age</c> alert per terminal whose current SM4 key is older than Security:KeyMaxAge; cleared by a new key.</summary>
public sealed class KeyAgeRule(Security.KeyRing keys, Func<Registry.StationRegistry> registry) : IAlertRule
{
    public async ValueTask OnTickAsync(IAlertDesk desk, CancellationToken ct)
    {
        var current = registry();
        foreach (var outlet in current.Outlets)
        {
            if (keys.Info(outlet.Mn) is { TooOld: true } info)
            {
                await desk.RaiseAsync(AlertDraft.For(AlertKinds.KeyAge, outlet, current.FindEnterprise(outlet.EnterpriseId), null, info.AgeDays, null, info.CreatedAt,
                    $"{outlet.Name}: SM4 key {info.AgeDays:F0} days old (since {desk.LocalText(info.CreatedAt, "yyyy-MM-dd")}); rotate it") with
                {
                    Params = Params(("outlet", outlet.Name), ("days", N(Math.Round(info.AgeDays))), ("since", desk.LocalText(info.CreatedAt, "yyyy-MM-dd"))),
                }, ct);
            }
            else
            {
                await desk.ResolveAsync(AlertKinds.KeyAge, outlet.Mn, null, ct);
            }
        }
    }
}
