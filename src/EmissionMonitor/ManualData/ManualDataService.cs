using System.Globalization;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Manual;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Outcomes;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Users;

namespace EmissionMonitor.ManualData;

/// <summary>
/// Manual monitoring data with review (DOMAIN.md §0.2, <see cref="ManualSample"/>): an enterprise files
/// a sample of its own outlet, with its monitoring report (PDF), for an hour inside a communication or
/// fault mark of the outlet (pending or approved); it is <c>pending</c> until an operator approves or
/// rejects it; the enterprise withdraws its pending sample, an operator revokes an approved one. An
/// operator's own filing is approved at once. Every step is kept in the sample's history, and changes
/// run one at a time.
/// </summary>
public sealed class ManualDataService(IRecordStore store, Func<StationRegistry> registry, Marking.MarkService marks, UserLimits limits, ManualOptions options,
    TimeZoneInfo zone, TimeProvider clock, Notify.NotificationService? notifications = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>True when <paramref name="user"/> may see <paramref name="sample"/>: every sample for operators and inspectors, its own outlets' for an enterprise.</summary>
    public bool Visible(ApiUser user, ManualSample sample) =>
        user.Role != ApiUser.EnterpriseRole || registry().FindOutlet(sample.Mn)?.EnterpriseId == user.Enterprise;

    /// <summary>Every sample (of one outlet, or all), newest filed first.</summary>
    public Task<IReadOnlyList<ManualSample>> AllAsync(string? mn, CancellationToken ct) => store.QueryAsync(DocumentRecords.ManualData, mn, ct);

    public async Task<ManualSample?> FindAsync(string id, CancellationToken ct) =>
        (await AllAsync(null, ct)).FirstOrDefault(s => s.Id == id);

    /// <summary>The id of a sample about to be filed (its report is kept under it before the sample is).</summary>
    public string NewId() => ManualSample.NewId(clock.GetUtcNow());

    /// <summary>Files a sample: checked field by field (the first bad one named), then against the outlet's marks and the day's filings.</summary>
    public async Task<ManualOutcome> CreateAsync(ApiUser user, ManualFiling f, IReadOnlyList<EvidenceFile> evidence, string id, CancellationToken ct)
    {
        bool enterprise = user.Role == ApiUser.EnterpriseRole;
        var outlet = f.Mn is null ? null : registry().FindOutlet(f.Mn);
        if (enterprise && outlet?.EnterpriseId != user.Enterprise)
        {
            return ManualOutcome.Fail(Refusal.NotAllowed, $"mn: {UserText.Shown(f.Mn ?? "(missing)")} is not an outlet of enterprise {user.Enterprise}", "mn");
        }

        if (outlet is null)
        {
            return ManualOutcome.Fail(Refusal.Invalid, $"mn: {UserText.Shown(f.Mn ?? "(missing)")} is not in the registry", "mn");
        }

        if (Check(outlet, f, evidence, out var sampledAt, out double value) is { } bad)
        {
            return bad;
        }

        await _gate.WaitAsync(ct);
        try
        {
            var mark = (await marks.AllAsync(ct)).Where(m => m.Mn == outlet.Mn && options.MarkKinds.Contains(m.Kind, StringComparer.Ordinal)
                    && m.State is Mark.Pending or Mark.Approved && m.From <= sampledAt && sampledAt < m.To)
                .OrderBy(m => m.From).FirstOrDefault();
            if (mark is null)
            {
                return ManualOutcome.Fail(Refusal.Invalid,
                    $"sampledAt: {sampledAt:yyyy-MM-ddTHH:mm} lies in no {string.Join(" or ", options.MarkKinds)} mark of outlet {outlet.Mn} (pending or approved): manual data stand for an outage or fault; file its mark first", "sampledAt");
            }

            string filer = enterprise ? user.Enterprise! : outlet.EnterpriseId;
            if (enterprise && await FiledTodayAsync(filer, ct) is var filed && filed >= options.MaxFilingsPerDay)
            {
                return ManualOutcome.Fail(Refusal.TooMany, $"enterprise {filer} has filed {filed} manual samples today, the most it may in a day (Manual:MaxFilingsPerDay)");
            }

            var sample = NewSample(user, filer, f, outlet, mark, evidence, id, sampledAt, value);
            await store.SaveAsync(DocumentRecords.ManualData, sample, ct);
            if (enterprise)
            {
                Tell(sample, "warning", $"手工监测数据 {sample.Pollutant} {sampledAt:yyyy-MM-dd HH:mm} {sample.Value.ToString(CultureInfo.InvariantCulture)} {sample.Unit}，{user.DisplayName} 申报，待审核");
            }

            return new ManualOutcome(sample, Refusal.None) { Created = true };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The samples the enterprise filed today (the service's local day).</summary>
    private async Task<int> FiledTodayAsync(string enterprise, CancellationToken ct)
    {
        var today = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).Date;
        return (await AllAsync(null, ct)).Count(s => s.Enterprise == enterprise && TimeZoneInfo.ConvertTime(s.CreatedAt, zone).Date == today);
    }

    /// <summary>
    /// A checked filing as the sample kept, filed for <paramref name="filer"/>: it covers its hour and Manual:CoversHours after (not past
    /// its mark's last hour); an enterprise's awaits review, an operator's is approved as filed.
    /// </summary>
    private ManualSample NewSample(ApiUser user, string filer, ManualFiling f, Outlet outlet, Mark mark, IReadOnlyList<EvidenceFile> evidence, string id, DateTime sampledAt,
        double value)
    {
        bool enterprise = user.Role == ApiUser.EnterpriseRole;
        var now = clock.GetUtcNow();
        var hour = Compliance.Summaries.LocalSpans.FloorHour(sampledAt);
        return new ManualSample
        {
            Id = id, Mn = outlet.Mn, Pollutant = f.Pollutant!, SampledAt = sampledAt, Value = value, Unit = UnitOf(outlet), Flow = Number(f.Flow),
            Comment = f.Comment, Enterprise = filer, MarkId = mark.Key, CoverFrom = hour,
            CoverTo = Compliance.Summaries.LocalSpans.Min(hour.AddHours(options.CoversHours), Compliance.Summaries.LocalSpans.CeilHour(mark.To)),
            By = user.DisplayName, CreatedAt = now, Evidence = [.. evidence],
            State = enterprise ? ManualSample.Pending : ManualSample.Approved,
            DecidedBy = enterprise ? null : user.DisplayName, DecidedAt = enterprise ? null : now,
            History = [new ManualStep(now, user.DisplayName, enterprise ? "filed" : "filed-approved", f.Comment)],
        };
    }

    /// <summary>The first problem of a filing's fields, or null with the sampling time and value read.</summary>
    private ManualOutcome? Check(Outlet outlet, ManualFiling f, IReadOnlyList<EvidenceFile> evidence, out DateTime sampledAt, out double value)
    {
        (sampledAt, value) = (default, default);
        if (f.Pollutant is null || !(outlet.Limits.ContainsKey(f.Pollutant) || (Compliance.Summaries.FactRules.Kept(outlet, f.Pollutant) && f.Pollutant[0] == (outlet.Kind == Hj212.Codes.MediumKind.Water ? 'w' : 'a'))))
        {
            return ManualOutcome.Fail(Refusal.Invalid, $"pollutant: {UserText.Shown(f.Pollutant ?? "(missing)")} is neither limited at outlet {outlet.Mn} nor totalled", "pollutant");
        }

        if (ReportPeriod.ParseLocal(f.SampledAt ?? string.Empty) is not { } at)
        {
            return ManualOutcome.Fail(Refusal.Invalid, $"sampledAt: needs a local time YYYY-MM-DDTHH:mm[:ss], not '{UserText.Shown(f.SampledAt ?? "(missing)")}'", "sampledAt");
        }

        if (at > TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime)
        {
            return ManualOutcome.Fail(Refusal.Invalid, "sampledAt: lies in the future", "sampledAt");
        }

        if (Number(f.Value) is not { } number || number < 0 || number > options.MaxValue)
        {
            return ManualOutcome.Fail(Refusal.Invalid, $"value: a number from 0 to {options.MaxValue.ToString(CultureInfo.InvariantCulture)} (Manual:MaxValue), not '{UserText.Shown(f.Value ?? "(missing)")}'", "value");
        }

        if (f.Unit is null || Normalised(f.Unit) != UnitOf(outlet))
        {
            return ManualOutcome.Fail(Refusal.Invalid, $"unit: outlet {outlet.Mn} measures in {UnitOf(outlet)}, not '{UserText.Shown(f.Unit ?? "(missing)")}'", "unit");
        }

        if (f.Flow is not null && (Number(f.Flow) is not { } flow || flow <= 0 || flow > 1e9))
        {
            return ManualOutcome.Fail(Refusal.Invalid, $"flow: the flow measured with the sample in m³/h, a number above 0 and at most 1e9, not '{UserText.Shown(f.Flow)}'", "flow");
        }

        if (CommentTooLong(f.Comment) is { } tooLong)
        {
            return tooLong;
        }

        (sampledAt, value) = (at, number);
        return options.RequireReport && !evidence.Any(e => e.ContentType == Evidence.EvidenceStore.Pdf)
            ? ManualOutcome.Fail(Refusal.Invalid, "report: a manual sample is filed with its monitoring report as a PDF file (Manual:RequireReport)", "report")
            : null;
    }

    /// <summary>The 400 for a comment beyond Api:MaxCommentLength, or null.</summary>
    private ManualOutcome? CommentTooLong(string? comment) =>
        comment is { Length: var n } && n > limits.MaxCommentLength
            ? ManualOutcome.Fail(Refusal.Invalid, $"comment: {n} characters, more than the {limits.MaxCommentLength} allowed (Api:MaxCommentLength)", "comment")
            : null;

    private static string UnitOf(Outlet outlet) => outlet.Kind == Hj212.Codes.MediumKind.Water ? "mg/L" : "mg/m3";

    private static string Normalised(string unit) => unit.Trim().Replace("³", "3", StringComparison.Ordinal) switch
    {
        var u when u.Equals("mg/m3", StringComparison.OrdinalIgnoreCase) => "mg/m3",
        var u when u.Equals("mg/L", StringComparison.OrdinalIgnoreCase) => "mg/L",
        var u => u,
    };

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;

    /// <summary>An operator approves or rejects a pending sample.</summary>
    public Task<ManualOutcome> DecideAsync(string id, bool approve, string? comment, ApiUser user, CancellationToken ct) =>
        ChangeAsync(id, user, comment, (s, now) =>
        {
            if (s.State != ManualSample.Pending)
            {
                return ManualOutcome.Fail(Refusal.Conflict, $"manual sample {s.Id} is {s.State}: only a pending sample is approved or rejected");
            }

            s.State = approve ? ManualSample.Approved : ManualSample.Rejected;
            (s.DecidedBy, s.DecidedAt, s.DecisionComment) = (user.DisplayName, now, comment);
            s.History.Add(new ManualStep(now, user.DisplayName, approve ? "approved" : "rejected", comment));
            Tell(s, "info", $"手工监测数据 {s.Pollutant} {s.SampledAt:yyyy-MM-dd HH:mm}，{(approve ? "已通过" : "已驳回")}（{user.DisplayName}{(string.IsNullOrWhiteSpace(comment) ? string.Empty : "：" + comment)}）");
            return new ManualOutcome(s, Refusal.None);
        }, ct);

    /// <summary>An enterprise withdraws its pending sample; an operator revokes an approved one.</summary>
    public Task<ManualOutcome> RevokeAsync(string id, string? comment, ApiUser user, CancellationToken ct) =>
        ChangeAsync(id, user, comment, (s, now) =>
        {
            bool enterprise = user.Role == ApiUser.EnterpriseRole;
            if (enterprise ? s.State != ManualSample.Pending : s.State != ManualSample.Approved)
            {
                return ManualOutcome.Fail(enterprise ? Refusal.NotAllowed : Refusal.Conflict,
                    $"manual sample {s.Id} is {s.State}: an enterprise withdraws only its pending samples; an operator revokes approved ones");
            }

            s.State = enterprise ? ManualSample.Withdrawn : ManualSample.Revoked;
            s.History.Add(new ManualStep(now, user.DisplayName, s.State, comment));
            return new ManualOutcome(s, Refusal.None);
        }, ct);

    /// <summary>The people responsible hear of a sample awaiting review and of its decision, as an item of kind <c>mark</c> (manual data are a mark class; their filters apply).</summary>
    private void Tell(ManualSample sample, string severity, string text)
    {
        if (notifications is null || registry().FindOutlet(sample.Mn) is not { } outlet)
        {
            return;
        }

        notifications.Tell(new Alerts.Alert(sample.Id + "-" + sample.State, "mark", severity, Alerts.Alert.Active, sample.Mn, outlet.EnterpriseId,
            registry().FindEnterprise(outlet.EnterpriseId)?.City, sample.Pollutant, null, null, clock.GetUtcNow(), null, null, null, text));
    }

    private async Task<ManualOutcome> ChangeAsync(string id, ApiUser user, string? comment, Func<ManualSample, DateTimeOffset, ManualOutcome> change, CancellationToken ct)
    {
        if (CommentTooLong(comment) is { } tooLong)
        {
            return tooLong;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (await FindAsync(id, ct) is not { } sample || !Visible(user, sample))
            {
                return ManualOutcome.Fail(Refusal.NotFound, $"no manual sample {UserText.Shown(id)}"); // another enterprise's samples are not revealed
            }

            var outcome = change(sample, clock.GetUtcNow());
            if (outcome.Sample is { } changed)
            {
                await store.SaveAsync(DocumentRecords.ManualData, changed, ct);
            }

            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }
}
