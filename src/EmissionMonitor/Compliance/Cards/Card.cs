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

    /// <summary>One lift per (enterprise, quarter, time) from stored rows, the revoked row winning, oldest first.</summary>
    public static List<CardLift> Latest(IEnumerable<CardLift> rows) =>
        rows.GroupBy(l => (l.Enterprise, l.Quarter, l.At))
            .Select(g => g.FirstOrDefault(l => l.Revoked is not null) ?? g.First())
            .OrderBy(l => l.At)
            .ToList();
}

/// <summary>A card proposed for an enterprise and quarter, with its reasons.</summary>
public sealed record Card(string Enterprise, string Quarter, string Colour, IReadOnlyList<CardReason> Reasons, CardLift? Lifted)
{
    public const string Yellow = "yellow";
    public const string Red = "red";
}
