namespace EmissionMonitor.Simulation;

/// <summary>What the terminal fleet does: where it sends, how many outlets, how fast, how badly.</summary>
public sealed record SimulationOptions(
    Uri Target,
    int Outlets,
    double Rate,
    TimeSpan Duration,
    double BadShare,
    double ExceedShare,
    double GapShare,
    double FlagShare,
    int BackfillHours);
