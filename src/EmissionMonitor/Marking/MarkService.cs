using EmissionMonitor.Outcomes;
using EmissionMonitor.Compliance;
using EmissionMonitor.Compliance.Marks;
using EmissionMonitor.Registry;
using EmissionMonitor.Storage;
using EmissionMonitor.Users;

namespace EmissionMonitor.Marking;

/// <summary>
/// Marks with review (DOMAIN.md §0, DESIGN.md "Marks"): operators file marks that are approved at
/// once; enterprises file marks for their own outlets that stay <c>pending</c> until an operator
/// approves or rejects them; an enterprise withdraws its own pending mark, an operator revokes an
/// approved one; evidence files are added while a mark is pending or approved. Every change is a
/// new row of the mark (<see cref="Mark.Rev"/>), so nothing is lost and the store's history is the
/// mark's. Changes run one at a time, so two reviewers cannot both decide the same mark.
/// </summary>
public sealed partial class MarkService(IRecordStore store, Func<StationRegistry> registry, UserLimits api, ComplianceOptions compliance, MarkOptions marking, TimeZoneInfo zone, TimeProvider clock,
    Notify.NotificationService? notifications = null) : IDisposable
{
    /// <summary>How long the marks read from the store serve lookups before they are read again (another instance's changes appear within it).</summary>
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>The marks (the newest revision of each) as read at <see cref="At"/>, by id.</summary>
    private sealed record Snapshot(IReadOnlyList<Mark> All, IReadOnlyDictionary<string, Mark> ById, DateTimeOffset At);

    public void Dispose()
    {
        _gate.Dispose();
        _reading.Dispose();
    }

    /// <summary>True when <paramref name="user"/> may see <paramref name="mark"/>: every mark for operators and inspectors, its own outlets' for an enterprise.</summary>
    public bool Visible(ApiUser user, Mark mark) =>
        user.Role != ApiUser.EnterpriseRole || registry().FindOutlet(mark.Mn)?.EnterpriseId == user.Enterprise;

    /// <summary>Every mark, newest revision each; read from the store at most every few seconds and kept up to date by this service's own changes.</summary>
    public async Task<IReadOnlyList<Mark>> AllAsync(CancellationToken ct) => (await CurrentAsync(ct)).All;

    /// <summary>A mark by its id, looked up in the index (not by reading every mark).</summary>
    public async Task<Mark?> FindAsync(string id, CancellationToken ct) => (await CurrentAsync(ct)).ById.GetValueOrDefault(id);

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        if (_snapshot is { } fresh && clock.GetUtcNow() - fresh.At < Fresh)
        {
            return fresh;
        }

        await _reading.WaitAsync(ct);
        try
        {
            if (_snapshot is { } other && clock.GetUtcNow() - other.At < Fresh)
            {
                return other; // read by the request before this one
            }

            var now = clock.GetUtcNow();
            var all = await store.QueryMarksAsync(DateTime.MinValue, DateTime.MaxValue, null, ct);
            var snapshot = new Snapshot(all, all.ToDictionary(m => m.Key, StringComparer.Ordinal), now);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Puts a mark just written into the index (under the write gate).</summary>
    private void Remember(Mark mark)
    {
        if (_snapshot is not { } current)
        {
            return;
        }

        var byId = new Dictionary<string, Mark>(current.ById, StringComparer.Ordinal) { [mark.Key] = mark };
        var all = byId.Values.OrderBy(m => m.Mn, StringComparer.Ordinal).ThenBy(m => m.From).ThenBy(m => m.Key, StringComparer.Ordinal).ToList();
        _snapshot = current with { All = all, ById = byId };
    }

    /// <summary>
    /// A new mark. An enterprise user may mark only its own outlets (403 before anything else is
    /// looked at). A mark filed with its evidence in one request comes with the id its files were
    /// kept under (<see cref="NewId"/>) and the files.
    /// </summary>
    public async Task<MarkOutcome> CreateAsync(ApiUser user, string? mn, string? kind, string? fromText, string? toText, string? comment, CancellationToken ct,
        string? id = null, IReadOnlyList<EvidenceFile>? evidence = null)
    {
        if (Check(user, mn, kind, fromText, toText, comment, out var outlet, out var from, out var to) is { } invalid)
        {
            return invalid;
        }

        bool enterprise = user.Role == ApiUser.EnterpriseRole;
        var now = clock.GetUtcNow();
        string checkedKind = kind!; // Check refuses a mark without one, or without an outlet
        var mark = new Mark(outlet!.Mn, checkedKind, from, to, comment)
        {
            Id = id ?? Mark.NewId(now), Evidence = evidence ?? [], By = user.DisplayName, CreatedAt = now, Enterprise = enterprise ? user.Enterprise : null,
            Decision = enterprise ? Mark.Pending : Mark.Approved, DecidedBy = enterprise ? null : user.DisplayName, DecidedAt = enterprise ? null : now,
        };
        await _gate.WaitAsync(ct);
        try
        {
            if (enterprise && await FilingRefusedAsync(user.Enterprise!, now, ct) is { } refused)
            {
                return refused;
            }

            await store.AddMarkAsync(mark, ct);
            Remember(mark);
        }
        finally
        {
            _gate.Release();
        }

        if (enterprise)
        {
            Tell(mark, "warning", $"{Kinds.GetValueOrDefault(checkedKind, checkedKind)} {from:yyyy-MM-dd HH:mm}–{to:yyyy-MM-dd HH:mm}，{user.DisplayName} 申报，待审核");
        }

        return new MarkOutcome(mark, Refusal.None) { Created = true };
    }

    /// <summary>What a new mark must be: an outlet of the registry (an enterprise's own), a kind, a span of local times within Api:MaxMarkSpan, a comment within its length.</summary>
    private MarkOutcome? Check(ApiUser user, string? mn, string? kind, string? fromText, string? toText, string? comment,
        out Registry.Outlet? outlet, out DateTime from, out DateTime to)
    {
        (from, to) = (default, default);
        outlet = mn is null ? null : registry().FindOutlet(mn);
        if (user.Role == ApiUser.EnterpriseRole && outlet?.EnterpriseId != user.Enterprise)
        {
            return MarkOutcome.Fail(Refusal.NotAllowed, $"mn: {UserText.Shown(mn ?? "(missing)")} is not an outlet of enterprise {user.Enterprise}", "mn");
        }

        if (outlet is null)
        {
            return MarkOutcome.Fail(Refusal.Invalid, $"mn: {UserText.Shown(mn ?? "(missing)")} is not in the registry", "mn");
        }

        if (kind is null || !Mark.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            return MarkOutcome.Fail(Refusal.Invalid, $"kind: must be one of {string.Join(", ", Mark.Kinds)}", "kind");
        }

        if (ReportPeriod.ParseLocal(fromText ?? string.Empty) is not { } start)
        {
            return MarkOutcome.Fail(Refusal.Invalid, $"from: needs a local time YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss], not '{UserText.Shown(fromText ?? "(missing)")}'", "from");
        }

        if (ReportPeriod.ParseLocal(toText ?? string.Empty) is not { } end)
        {
            return MarkOutcome.Fail(Refusal.Invalid, $"to: needs a local time YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss], not '{UserText.Shown(toText ?? "(missing)")}'", "to");
        }

        if (CommentTooLong(comment) is { } tooLong)
        {
            return tooLong;
        }

        (from, to) = (start, end);
        if (to <= from)
        {
            return MarkOutcome.Fail(Refusal.Invalid, "to: must be after from", "to");
        }

        if (to - from > api.MaxMarkSpan)
        {
            return MarkOutcome.Fail(Refusal.Invalid, $"to: a mark spans at most {api.MaxMarkSpan.TotalDays:F0} days (Api:MaxMarkSpan)", "to");
        }

        return null;
    }

    /// <summary>
    /// Why an enterprise may not file another mark now: <c>Api:MaxPendingMarks</c> awaiting review,
    /// or <c>Marks:MaxFilingsPerDay</c> filed this local day — withdrawn ones included, so filing and
    /// withdrawing does not get round the first.
    /// </summary>
    private async Task<MarkOutcome?> FilingRefusedAsync(string enterprise, DateTimeOffset now, CancellationToken ct)
    {
        var all = await AllAsync(ct);
        if (all.Count(m => m.State == Mark.Pending && m.Enterprise == enterprise) >= api.MaxPendingMarks)
        {
            return MarkOutcome.Fail(Refusal.TooMany, $"enterprise {enterprise} has {api.MaxPendingMarks} marks awaiting review, the most it may (Api:MaxPendingMarks)");
        }

        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        int filed = all.Count(m => m.Enterprise == enterprise && m.CreatedAt is { } at && TimeZoneInfo.ConvertTime(at, zone).Date == today);
        return filed >= marking.MaxFilingsPerDay
            ? MarkOutcome.Fail(Refusal.TooMany, $"enterprise {enterprise} has filed {filed} marks today, the most it may in a day (Marks:MaxFilingsPerDay)")
            : null;
    }

    /// <summary>The id of a mark about to be filed (its evidence is kept under it before the mark is).</summary>
    public string NewId() => Mark.NewId(clock.GetUtcNow());

    /// <summary>An operator approves or rejects a pending mark.</summary>
    public Task<MarkOutcome> DecideAsync(string id, bool approve, string? comment, ApiUser user, CancellationToken ct) =>
        ChangeAsync(id, user, mark =>
        {
            if (mark.State != Mark.Pending)
            {
                return MarkOutcome.Fail(Refusal.Conflict, $"mark {mark.Key} is {mark.State}: only a pending mark is approved or rejected");
            }

            var decided = mark with { Decision = approve ? Mark.Approved : Mark.Rejected, DecidedBy = user.DisplayName, DecidedAt = clock.GetUtcNow(), DecisionComment = comment };
            Tell(decided, "info", $"{Kinds.GetValueOrDefault(mark.Kind, mark.Kind)} {mark.From:yyyy-MM-dd HH:mm}–{mark.To:yyyy-MM-dd HH:mm}，{(approve ? "已通过" : "已驳回")}（{user.DisplayName}{(string.IsNullOrWhiteSpace(comment) ? string.Empty : "：" + comment)}）");
            return new MarkOutcome(decided, Refusal.None);
        }, comment, ct);

    /// <summary>An enterprise withdraws its own pending mark; an operator revokes an approved one.</summary>
    public Task<MarkOutcome> RevokeAsync(string id, string? comment, ApiUser user, CancellationToken ct) =>
        ChangeAsync(id, user, mark =>
        {
            bool enterprise = user.Role == ApiUser.EnterpriseRole;
            if (mark.State is Mark.RevokedState or Mark.Rejected)
            {
                return MarkOutcome.Fail(Refusal.Conflict, $"mark {mark.Key} is already {mark.State}");
            }

            if (enterprise && mark.State != Mark.Pending)
            {
                return MarkOutcome.Fail(Refusal.NotAllowed, $"mark {mark.Key} is {mark.State}: an enterprise withdraws only its pending marks; an operator revokes approved ones");
            }

            if (!enterprise && mark.State != Mark.Approved)
            {
                return MarkOutcome.Fail(Refusal.Conflict, $"mark {mark.Key} is {mark.State}: a pending mark is approved or rejected, not revoked");
            }

            return new MarkOutcome(mark with { Revoked = new Revocation(clock.GetUtcNow(), user.DisplayName, comment) }, Refusal.None);
        }, comment, ct);

    public MarkOutcome MayAddEvidence(Mark mark, ApiUser user) =>
        mark.State is not (Mark.Pending or Mark.Approved) ? MarkOutcome.Fail(Refusal.Conflict, $"mark {mark.Key} is {mark.State}: evidence is added to pending and approved marks only")
        : user.Role == ApiUser.EnterpriseRole && (mark.Enterprise != user.Enterprise || mark.State != Mark.Pending)
            ? MarkOutcome.Fail(Refusal.NotAllowed, $"mark {mark.Key} is {mark.State}{(mark.Enterprise != user.Enterprise ? " and was not filed by your enterprise" : string.Empty)}: an enterprise adds evidence only to its own pending marks")
        : mark.Evidence.Count >= api.MaxEvidenceFiles ? MarkOutcome.Fail(Refusal.Conflict, $"mark {mark.Key} has {mark.Evidence.Count} files, the most one mark may carry (Api:MaxEvidenceFiles)")
        : new MarkOutcome(mark, Refusal.None);

    /// <summary>Records an uploaded file on the mark.</summary>
    public Task<MarkOutcome> AddEvidenceAsync(string id, EvidenceFile file, ApiUser user, CancellationToken ct) =>
        ChangeAsync(id, user, mark => MayAddEvidence(mark, user) is { Mark: null } refused ? refused : new MarkOutcome(mark with { Evidence = [.. mark.Evidence, file] }, Refusal.None) { Created = true }, null, ct);

    /// <summary>The 400 for a comment beyond Api:MaxCommentLength, or null.</summary>
    private MarkOutcome? CommentTooLong(string? comment) =>
        comment is { Length: var n } && n > api.MaxCommentLength
            ? MarkOutcome.Fail(Refusal.Invalid, $"comment: {n} characters, more than the {api.MaxCommentLength} allowed (Api:MaxCommentLength)", "comment")
            : null;

    private async Task<MarkOutcome> ChangeAsync(string id, ApiUser user, Func<Mark, MarkOutcome> change, string? comment, CancellationToken ct)
    {
        if (CommentTooLong(comment) is { } tooLong)
        {
            return tooLong;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (await FindAsync(id, ct) is not { } mark || !Visible(user, mark))
            {
                return MarkOutcome.Fail(Refusal.NotFound, $"no mark {UserText.Shown(id)}"); // another enterprise's marks are not revealed
            }

            var outcome = change(mark);
            if (outcome.Mark is { } changed && outcome.Refusal == Refusal.None)
            {
                changed = changed with { Id = mark.Key, Rev = mark.Rev + 1 };
                await store.AddMarkAsync(changed, ct);
                Remember(changed);
                return outcome with { Mark = changed };
            }

            return outcome;
        }
        finally
        {
            _gate.Release();
        }
    }
}
