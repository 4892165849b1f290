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

    /// <summary>HJ 212-2025: raw monitoring data (<c>-SampleTime</c>, <c>-CompleteTime</c>, <c>-SampleType</c>, <c>-Avg</c>).</summary>
    public const string RawData = "2013";

    /// <summary>HJ 212-2025: an automatic standard-sample check (<c>-SampleRd</c>, <c>-StandardValue</c>, <c>-ResultType</c>).</summary>
    public const string StandardCheck = "2062";

    /// <summary>HJ 212-2025: incinerator furnace-temperature 5-minute mean (<c>a01901-Avg</c>).</summary>
    public const string FurnaceTemperature = "2111";

    /// <summary>HJ 212-2025: the data logger's hardware identity (<c>i23005-Info</c> … <c>i23008-Info</c>).</summary>
    public const string HardwareIdentity = "1001";

    /// <summary>Heartbeat.</summary>
    public const string Heartbeat = "9015";
}
