using EmissionMonitor.Outcomes;
using EmissionMonitor.Storage;

namespace EmissionMonitor.Orders;

/// <summary>One step in an order's life: who did what, when, with which comment.</summary>
public sealed record OrderEvent(DateTimeOffset At, string By, string Action, string? Comment, bool VisibleToEnterprise = false);

/// <summary>The enterprise's answer to an order.</summary>
public sealed record OrderResponse(string Cause, string Measures, string By, DateTimeOffset At);

/// <summary>
/// A supervision order (督办) to an enterprise about an outlet (and a pollutant, an alert): its
/// deadline (local time), text, state (<c>open</c> → <c>answered</c> → <c>closed</c>, or reopened
/// back to <c>open</c>), the enterprise's answer and every step.
/// </summary>
public sealed class SupervisionOrder
{
    public const string Open = "open", Answered = "answered", Closed = "closed";

    public required string Id { get; init; }

    public required string Mn { get; init; }

    public required string Enterprise { get; init; }

    public string? City { get; init; }

    public string? Pollutant { get; init; }

    public string? AlertId { get; init; }

    public DateTime Deadline { get; init; }

    public required string Text { get; init; }

    public string State { get; set; } = Open;

    public required string CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public OrderResponse? Response { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public List<OrderEvent> History { get; init; } = [];

    /// <summary>Files attached to the order (the enterprise's evidence for its answer, an operator's findings).</summary>
    public List<Compliance.Marks.EvidenceFile> Evidence { get; init; } = [];

    /// <summary>True while open past its deadline (local time).</summary>
    public bool IsOverdue(DateTime nowLocal) => State == Open && nowLocal > Deadline;

    /// <summary>Orders as the store keeps them: by id, with their outlet, state and creation time.</summary>
    public static readonly RecordKind<SupervisionOrder> Records = new("order", o => o.Id, o => o.Mn, o => o.State, o => o.CreatedAt);
}

/// <summary>What an order action gave: the order, or why it was refused (and the bad parameter).</summary>
public sealed record OrderOutcome(SupervisionOrder? Order, Refusal Refusal, string? Parameter, string? Problem);

/// <summary>Supervision orders (configuration section <c>Orders</c>).</summary>
public sealed class OrderOptions
{
    public const string Section = "Orders";

    /// <summary>How often deadlines are checked for <c>order-overdue</c> alerts. Default 1 min.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.1", "01:00:00", ErrorMessage = "Orders:CheckInterval must be between 0.1 s and 1 hour")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The deadline of an order made from an alert when none is given. Default 3 days.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Orders:DefaultDeadline must be between 1 minute and 365 days")]
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromDays(3);
}
