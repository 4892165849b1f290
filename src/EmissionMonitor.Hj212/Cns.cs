namespace EmissionMonitor.Hj212;

/// <summary>The command numbers (CN) the service reads and writes (HJ 212-2017 Table 14 and Appendix C).</summary>
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

    /// <summary>Equipment running state (real-time).</summary>
    public const string RunningState = "2021";

    /// <summary>Equipment running time (daily).</summary>
    public const string RunningTime = "2041";
}
