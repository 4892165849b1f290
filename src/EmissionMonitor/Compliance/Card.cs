namespace EmissionMonitor.Compliance;

/// <summary>An operator's lifting of a card: recorded, never deleted.</summary>
public sealed record CardLift(string Enterprise, string Quarter, DateTimeOffset At, string By, string? Comment);

/// <summary>A card proposed for an enterprise and quarter, with its reasons (<c>kind:pollutant:mn:detail</c>).</summary>
public sealed record Card(string Enterprise, string Quarter, string Colour, IReadOnlyList<string> Reasons, CardLift? Lifted)
{
    public const string Yellow = "yellow";
    public const string Red = "red";
}
