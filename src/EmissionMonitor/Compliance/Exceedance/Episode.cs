namespace EmissionMonitor.Compliance.Exceedance;

/// <summary>
/// An exceedance episode: a maximal run of consecutive valid periods of one outlet and pollutant that
/// all cross the same bound. <see cref="End"/> is exclusive; <see cref="PeakMultiple"/> =
/// (peak − limit) / limit, null for a minimum bound; <see cref="Source"/> is <c>manual</c> when an
/// approved manual sample's value is among its periods.
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
    bool Ongoing,
    string Source = Episode.Automatic)
{
    /// <summary>The sources of an episode's values: automatic monitoring only, or with a manual sample's (<c>manual</c>) among them.</summary>
    public const string Automatic = "automatic", Manual = "manual";
}
