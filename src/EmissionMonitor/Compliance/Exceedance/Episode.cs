namespace EmissionMonitor.Compliance.Exceedance;

/// <summary>
/// An exceedance episode: a maximal run of consecutive valid periods of one outlet and pollutant that
/// all cross the same bound. <see cref="End"/> is exclusive; <see cref="PeakMultiple"/> =
/// (peak − limit) / limit, null for a minimum bound.
/// </summary>
public sealed record Episode(
    string Mn,
    string Pollutant,
    string Basis,
    string ValueKind,
    DateTime Start,
    DateTime End,
    int Periods,
    double Peak,
    double Limit,
    double? PeakMultiple,
    bool Ongoing);
