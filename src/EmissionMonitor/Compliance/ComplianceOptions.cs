using System.ComponentModel.DataAnnotations;

namespace EmissionMonitor.Compliance;

/// <summary>Compliance rules (configuration section <c>Compliance</c>).</summary>
public sealed class ComplianceOptions : IValidatableObject
{
    public const string Section = "Compliance";

    /// <summary>The time zone of HJ 212 local times and of report periods. Default Asia/Shanghai.</summary>
    [Required(ErrorMessage = "Compliance:TimeZone is required")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Effective rates below this are flagged (0.90), compared unrounded.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Compliance:RateThreshold must be between 0 and 1")]
    public double RateThreshold { get; set; } = 0.90;

    /// <summary>The flag a value sent without one counts as (N). The stored reading keeps it absent.</summary>
    [Required(ErrorMessage = "Compliance:MissingFlagAs is required")]
    public string MissingFlagAs { get; set; } = "N";

    /// <summary>Flags that exempt the hour instead of making it invalid; null means the default ["F"] (source stopped).</summary>
    public List<string>? ExemptFlags { get; set; }

    /// <summary>The exempt flags in force (configuration lists replace the default instead of adding to it).</summary>
    public IReadOnlyList<string> EffectiveExemptFlags => ExemptFlags is { Count: > 0 } flags ? flags : ["F"];

    /// <summary>Valid hours a water day needs when its daily mean is computed from hourly means (18).</summary>
    [Range(1, 24, ErrorMessage = "Compliance:WaterDailyMinHours must be between 1 and 24")]
    public int WaterDailyMinHours { get; set; } = 18;

    /// <summary>An hour with minute records but no hourly record is derived from the minutes (true; HJ 75/76-2017 Appendix B).</summary>
    public bool DeriveHoursFromMinutes { get; set; } = true;

    /// <summary>Valid minute values a derived hour needs (45, HJ 75/76-2017 Appendix B); with fewer it counts as received but invalid.</summary>
    [Range(1, 60, ErrorMessage = "Compliance:MinValidMinutesPerHour must be between 1 and 60")]
    public int MinValidMinutesPerHour { get; set; } = 45;

    /// <summary>Valid hourly means a daily mean needs (20, HJ 75/76-2017 Appendix B).</summary>
    [Range(1, 24, ErrorMessage = "Compliance:MinValidHoursPerDay must be between 1 and 24")]
    public int MinValidHoursPerDay { get; set; } = 20;

    /// <summary>Valid daily means a monthly mean needs (25, HJ 75/76-2017 Appendix B).</summary>
    [Range(1, 31, ErrorMessage = "Compliance:MinValidDaysPerMonth must be between 1 and 31")]
    public int MinValidDaysPerMonth { get; set; } = 25;

    /// <summary>Valid daily means February's monthly mean needs (23, HJ 75/76-2017 Appendix B).</summary>
    [Range(1, 29, ErrorMessage = "Compliance:MinValidDaysPerFebruary must be between 1 and 29")]
    public int MinValidDaysPerFebruary { get; set; } = 23;

    /// <summary>Province caps in tonnes: <c>Compliance:ProvinceCaps:{year}:{code}</c>; the latest year not after the period's applies.</summary>
    public Dictionary<string, Dictionary<string, double>> ProvinceCaps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// City targets in tonnes a year: <c>Compliance:CityTargets:{year}:{city}:{code}</c> (the
    /// allocations of the plan's annex 4, per 市/州 and one of the four totalled pollutants).
    /// </summary>
    public Dictionary<string, Dictionary<string, Dictionary<string, double>>> CityTargets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What each kind of mark does to the rate (<c>Compliance:MarkEffects:{kind}</c> =
    /// <c>{effect: exempt|excuse|none, flags: [...]}</c>); kinds not configured keep the defaults of
    /// DOMAIN.md §0 (<see cref="Marks.MarkEffect.Defaults"/>).
    /// </summary>
    public Dictionary<string, Marks.MarkEffect> MarkEffects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Hours of <c>fault</c> marks an outlet may have in a calendar year before further ones are flagged; null (default) for no cap.</summary>
    [Range(0, 8784, ErrorMessage = "Compliance:FaultHoursPerYear must be between 0 and 8784")]
    public int? FaultHoursPerYear { get; set; }

    /// <summary>The effect of marks of <paramref name="kind"/>: the configured one, else the default.</summary>
    public Marks.MarkEffect EffectOf(string kind) =>
        MarkEffects.GetValueOrDefault(kind) ?? Marks.MarkEffect.Defaults.GetValueOrDefault(kind) ?? Marks.MarkEffect.None;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TargetProblems().Concat(MarkEffectProblems()).Select(p => new ValidationResult(p));

    /// <summary>Problems of the mark effects, each naming its key.</summary>
    public IEnumerable<string> MarkEffectProblems()
    {
        foreach (var (kind, effect) in MarkEffects)
        {
            if (!Marks.Mark.Kinds.Contains(kind, StringComparer.Ordinal))
            {
                yield return $"Compliance:MarkEffects:{kind}: not a kind of mark ({string.Join(", ", Marks.Mark.Kinds)})";
            }
            else if (effect.Effect is not (Marks.MarkEffect.Exempt or Marks.MarkEffect.Excuse or Marks.MarkEffect.NoEffect))
            {
                yield return $"Compliance:MarkEffects:{kind}:Effect: must be exempt, excuse or none, not '{effect.Effect}'";
            }
            else if (effect.Effect == Marks.MarkEffect.Excuse && (effect.Flags is not { Count: > 0 } flags || flags.Any(f => f is not { Length: 1 } || !char.IsAsciiLetterUpper(f[0]))))
            {
                yield return $"Compliance:MarkEffects:{kind}:Flags: an excusing mark names the flags it excuses (single capital letters such as M, C, D)";
            }
        }
    }

    /// <summary>The city targets of a year (city → code → tonnes), empty when none is configured.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, double>> TargetsOf(int year) =>
        CityTargets.GetValueOrDefault(year.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? [];

    /// <summary>Problems of the city targets, each naming its key.</summary>
    public IEnumerable<string> TargetProblems()
    {
        foreach (var (year, cities) in CityTargets)
        {
            if (!int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int y) || y is < 2000 or > 2100)
            {
                yield return $"Compliance:CityTargets:{year}: the key must be a year (2000–2100)";
                continue;
            }

            foreach (var (city, targets) in cities)
            {
                foreach (var (code, tonnes) in targets)
                {
                    if (!Hj212.Codes.CodeCatalogue.TotalledPollutants.Contains(code))
                    {
                        yield return $"Compliance:CityTargets:{year}:{city}:{code}: targets are set for {string.Join(", ", Hj212.Codes.CodeCatalogue.TotalledPollutants)} only";
                    }
                    else if (!(tonnes > 0) || double.IsInfinity(tonnes))
                    {
                        yield return $"Compliance:CityTargets:{year}:{city}:{code}: a target is a positive number of tonnes, not {tonnes}";
                    }
                }
            }
        }
    }

    /// <summary>The cap in kg of a pollutant for a year, or null.</summary>
    public double? CapKg(int year, string pollutant)
    {
        var applicable = ProvinceCaps
            .Select(p => (Year: int.TryParse(p.Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int y) ? y : int.MaxValue, Caps: p.Value))
            .Where(p => p.Year <= year && p.Caps.ContainsKey(pollutant))
            .OrderByDescending(p => p.Year)
            .FirstOrDefault();
        return applicable.Caps is null ? null : applicable.Caps[pollutant] * 1000;
    }

    /// <summary>Resolves <see cref="TimeZone"/>; China Standard Time (UTC+8, no DST since 1991) when the system lacks tzdata.</summary>
    public TimeZoneInfo ResolveTimeZone()
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
        {
            return zone;
        }

        if (TimeZone is "Asia/Shanghai" or "China Standard Time")
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }

        throw new ConfigurationException($"Compliance:TimeZone: unknown time zone '{TimeZone}'");
    }
}
