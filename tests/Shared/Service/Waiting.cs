namespace EmissionMonitor.TestSupport;

/// <summary>Waiting on a condition with a timeout (never a fixed delay: shared/STYLE.md).</summary>
internal static class Waiting
{
    public static async Task UntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits on an asynchronous condition; the failure names what was awaited.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {timeout.TotalSeconds:F0} s for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Waits on a condition while a fake clock moves on by <paramref name="step"/> every 50 ms: a
    /// service loop that began its wait just after the test advanced the clock is woken by the next
    /// step instead of waiting for an advance that never comes.
    /// </summary>
    public static async Task NudgingAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, Func<bool> condition, TimeSpan step, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
            if (!condition())
            {
                clock.Advance(step);
            }
        }
    }
}
