namespace EmissionMonitor.TestSupport;

/// <summary>
/// Sizes of the reliability runs: the quick versions run in the normal test command; with EM_LONG=1
/// the same tests run at the sizes of the long runs (see docs/benchmarks.md).
/// </summary>
internal static class Scale
{
    public static bool Long => Environment.GetEnvironmentVariable("EM_LONG") == "1";

    public static int Pick(int quick, int @long) => Long ? @long : quick;
}
