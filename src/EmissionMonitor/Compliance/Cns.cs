namespace EmissionMonitor.Compliance;

/// <summary>The HJ 212 command numbers of the data the rules read (HJ 212-2017 Table 14).</summary>
public static class Cns
{
    /// <summary>Real-time data.</summary>
    public const string RealTime = "2011";

    /// <summary>Minute data.</summary>
    public const string Minute = "2051";

    /// <summary>Hourly data.</summary>
    public const string Hourly = "2061";

    /// <summary>Daily data.</summary>
    public const string Daily = "2031";
}
