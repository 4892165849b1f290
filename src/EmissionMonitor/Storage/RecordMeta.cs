using System.Text.Json;
using System.Text.Json.Serialization;
using EmissionMonitor.Compliance.Cards;
using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Storage;

/// <summary>
/// What operator records carry beside their columns — a mark's id, author and time, a revocation —
/// as one JSON text (a <c>meta</c> column in SQLite, a <c>meta</c> field in InfluxDB), so stores
/// written before these existed keep working: their rows simply have none.
/// </summary>
internal static class RecordMeta
{
    public static string Of(Mark m) => JsonSerializer.Serialize(new Meta(m.Id, m.By, m.CreatedAt, m.Revoked)
    {
        Decision = m.Decision, DecidedBy = m.DecidedBy, DecidedAt = m.DecidedAt, DecisionComment = m.DecisionComment, Enterprise = m.Enterprise,
        Evidence = m.Evidence.Count == 0 ? null : m.Evidence, Rev = m.Rev == 0 ? null : m.Rev,
    }, Options);

    public static string? Of(CardLift l) =>
        l.Revoked is null && !l.VisibleToEnterprise ? null : JsonSerializer.Serialize(new Meta(null, null, null, l.Revoked) { Visible = l.VisibleToEnterprise ? true : null }, Options);

    public static Mark Apply(Mark m, string? json) =>
        Read(json) is { } meta
            ? m with
            {
                Id = meta.Id, By = meta.By, CreatedAt = meta.CreatedAt, Revoked = meta.Revoked, Decision = meta.Decision, DecidedBy = meta.DecidedBy, DecidedAt = meta.DecidedAt,
                DecisionComment = meta.DecisionComment, Enterprise = meta.Enterprise, Evidence = meta.Evidence ?? [], Rev = meta.Rev ?? 0,
            }
            : m;

    public static CardLift Apply(CardLift l, string? json) => Read(json) is { } meta ? l with { Revoked = meta.Revoked, VisibleToEnterprise = meta.Visible == true } : l;

    private static Meta? Read(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<Meta>(json, Options);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private sealed record Meta(string? Id, string? By, DateTimeOffset? CreatedAt, Revocation? Revoked)
    {
        public string? Decision { get; init; }

        public string? DecidedBy { get; init; }

        public DateTimeOffset? DecidedAt { get; init; }

        public string? DecisionComment { get; init; }

        public string? Enterprise { get; init; }

        public IReadOnlyList<Compliance.Marks.EvidenceFile>? Evidence { get; init; }

        public int? Rev { get; init; }

        public bool? Visible { get; init; }
    }
}
