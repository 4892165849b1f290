using EmissionMonitor.Compliance.Marks;

namespace EmissionMonitor.Compliance.Cards;

/// <summary>
/// An operator's lifting of a card: recorded, never deleted. A revoked lift (its revocation stored
/// as a later row of the same lift) no longer lifts the card.
/// </summary>
public sealed record CardLift(string Enterprise, string Quarter, DateTimeOffset At, string By, string? Comment)
{
    /// <summary>Its revocation, or null while it stands.</summary>
    public Revocation? Revoked { get; init; }

    /// <summary>True when the operator addressed the comment to the enterprise; otherwise the enterprise sees neither it nor the operator's name.</summary>
    public bool VisibleToEnterprise { get; init; }

    /// <summary>One lift per (enterprise, quarter, time) from stored rows, the revoked row winning, oldest first.</summary>
    public static List<CardLift> Latest(IEnumerable<CardLift> rows) =>
        rows.GroupBy(l => (l.Enterprise, l.Quarter, l.At))
            .Select(g => g.FirstOrDefault(l => l.Revoked is not null) ?? g.First())
            .OrderBy(l => l.At)
            .ToList();
}

/// <summary>
/// An operator's decision on a proposed card: <c>confirmed</c> or <c>dismissed</c>, with who, when
/// and why, and the card as it stood when decided (its colour and reasons, so a confirmed card whose
/// conditions later late data removes still shows what was confirmed). Recorded, never deleted.
/// </summary>
public sealed record CardDecision(string Enterprise, string Quarter, string Decision, DateTimeOffset At, string By, string? Comment, string Colour, IReadOnlyList<string> Reasons)
{
    public const string Proposed = "proposed";
    public const string Confirmed = "confirmed";
    public const string Dismissed = "dismissed";

    /// <summary>True when the operator addressed the comment to the enterprise; otherwise the enterprise sees neither it nor the operator's name.</summary>
    public bool VisibleToEnterprise { get; init; }

    /// <summary>Equal when every field is, the reasons compared item by item.</summary>
    public bool Equals(CardDecision? other) =>
        other is not null && Enterprise == other.Enterprise && Quarter == other.Quarter && Decision == other.Decision && At == other.At && By == other.By
        && Comment == other.Comment && Colour == other.Colour && Reasons.SequenceEqual(other.Reasons) && VisibleToEnterprise == other.VisibleToEnterprise;

    public override int GetHashCode() => HashCode.Combine(Enterprise, Quarter, Decision, At);
}

/// <summary>
/// A card of an enterprise and quarter: its colour and reasons, the operator's decision (null while
/// proposed), its lift, the rectification deadline (<see cref="RectifyBy"/>, the last day of the
/// quarter <c>Cards:RectificationQuarters</c> after it) and whether the rules' conditions still hold
/// (false only for a confirmed card whose conditions late data removed).
/// </summary>
public sealed record Card(string Enterprise, string Quarter, string Colour, IReadOnlyList<CardReason> Reasons, CardLift? Lifted)
{
    public const string Yellow = "yellow";
    public const string Red = "red";

    public CardDecision? Decision { get; init; }

    public DateOnly RectifyBy { get; init; }

    public bool ConditionsMet { get; init; } = true;

    /// <summary><c>proposed</c>, <c>confirmed</c> or <c>dismissed</c>.</summary>
    public string DecisionState => Decision?.Decision ?? CardDecision.Proposed;

    /// <summary>True when the card counts for escalation: proposed or confirmed, and not lifted.</summary>
    public bool Escalates => Lifted is null && DecisionState != CardDecision.Dismissed;
}
