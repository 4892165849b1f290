namespace EmissionMonitor.Simulation;

/// <summary>
/// What the terminal fleet does: where it sends, how many outlets, how fast, how badly; in which
/// HJ 212 version, and (2025) whether data segments go SM4-encrypted with each outlet's registry key.
/// </summary>
public sealed record SimulationOptions(
    Uri Target,
    int Outlets,
    double Rate,
    TimeSpan Duration,
    double BadShare,
    double ExceedShare,
    double GapShare,
    double FlagShare,
    int BackfillHours,
    Hj212.Hj212Version Version = Hj212.Hj212Version.V2017,
    bool Encrypt = false);
