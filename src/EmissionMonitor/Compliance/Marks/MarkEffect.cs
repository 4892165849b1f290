namespace EmissionMonitor.Compliance.Marks;

/// <summary>
/// What an approved mark of one kind does to the hours it covers (DOMAIN.md §0,
/// <c>Compliance:MarkEffects:{kind}</c>): <c>exempt</c> takes them out of the expected hours,
/// <c>excuse</c> leaves received hours whose flag is one of <see cref="Flags"/> out of the validity
/// count, <c>none</c> records the mark and changes no figure. Where marks overlap, exempt wins.
/// </summary>
public sealed class MarkEffect
{
    public const string Exempt = "exempt", Excuse = "excuse", NoEffect = "none";

    public string Effect { get; set; } = NoEffect;

    /// <summary>The flags an excusing mark excuses.</summary>
    public List<string>? Flags { get; set; }

    public bool Exempts => Effect == Exempt;

    public bool Excuses => Effect == Excuse && Flags is { Count: > 0 };

    public static MarkEffect None { get; } = new();

    /// <summary>The defaults of DOMAIN.md §0.</summary>
    public static IReadOnlyDictionary<string, MarkEffect> Defaults { get; } = new Dictionary<string, MarkEffect>(StringComparer.Ordinal)
    {
        [Mark.Shutdown] = new() { Effect = Exempt },
        [Mark.ForceMajeure] = new() { Effect = Exempt },
        [Mark.Communication] = new() { Effect = Exempt },
        [Mark.Maintenance] = new() { Effect = Excuse, Flags = ["M"] },
        [Mark.Calibration] = new() { Effect = Excuse, Flags = ["C"] },
        [Mark.Fault] = new() { Effect = Excuse, Flags = ["D"] },
    };

    public override string ToString() => Effect == Excuse ? $"{Effect}:{string.Join(',', Flags ?? [])}" : Effect;
}

/// <summary>
/// The corrections of one day's hours that the reports lay over the maintained summaries: hours an
/// approved mark exempts, hours excused per flag, hours made invalid (suspect data under
/// <c>Anomalies:InvalidateSuspect</c>) and hours an approved manual sample stands for (received and
/// excused unless the hour has a valid automatic value). Masks are of the local hours 0–23.
/// </summary>
public sealed record HourCorrections(int Exempt, IReadOnlyDictionary<string, int> ExcuseByFlag, int Invalid, int Manual = 0)
{
    public static HourCorrections None { get; } = new(0, new Dictionary<string, int>(StringComparer.Ordinal), 0);

    /// <summary>The hours of <paramref name="flags"/> (each hour's flag) that are excused.</summary>
    public int Excused(string?[] flags)
    {
        int mask = 0;
        for (int h = 0; h < flags.Length; h++)
        {
            if (flags[h] is { } f && ExcuseByFlag.TryGetValue(f, out int m) && (m & (1 << h)) != 0)
            {
                mask |= 1 << h;
            }
        }

        return mask;
    }
}
