using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance.Cards;

/// <summary>The yellow/red card rule (configuration section <c>Cards</c>).</summary>
public sealed class CardOptions
{
    public const string Section = "Cards";

    /// <summary>A quarter's exceedance rate (exceeding / valid periods) at or above this gives a yellow card (0.20).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Cards:YellowRate must be between 0 and 1")]
    public double YellowRate { get; set; } = 0.20;

    /// <summary><c>exceedance</c>: the outlet's exceedance basis (hourly gas, daily water); <c>day</c>: valid daily means for both.</summary>
    [RegularExpression("^(exceedance|day)$", ErrorMessage = "Cards:Basis must be exceedance or day")]
    public string Basis { get; set; } = "exceedance";

    /// <summary>Quarters after a card within which meeting a yellow condition again makes it red (1).</summary>
    [Range(1, 8, ErrorMessage = "Cards:RectificationQuarters must be between 1 and 8")]
    public int RectificationQuarters { get; set; } = 1;

    /// <summary>
    /// True: a quarter in which an outlet's monitoring of a totalled pollutant it is assessed on cannot
    /// stand as the actual emissions (more than Totals:MaxMissingShare of its hours without a valid
    /// value) meets a yellow condition, reason <c>monitoring-unusable</c>. False by default: the card
    /// rule (青政〔2017〕53号) names exceedance and over-total only, and every hour of an outlet's active
    /// dates before its first record would count as missing (registries rarely carry activeFrom).
    /// </summary>
    public bool MonitoringUnusable { get; set; }

    /// <summary>Valid hourly means a gas day needs under <c>Basis=day</c> (20, HJ 212-2017 D2.2).</summary>
    [Range(1, 24, ErrorMessage = "Cards:GasDailyMinHours must be between 1 and 24")]
    public int GasDailyMinHours { get; set; } = 20;
}
