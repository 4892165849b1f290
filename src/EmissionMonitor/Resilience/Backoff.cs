namespace EmissionMonitor.Resilience;

/// <summary>
/// The pause after a failure in a loop that must go on (a listener that could not accept, a journal
/// whose commit failed): it starts at <c>first</c>, doubles with each failure up to <c>max</c>, and
/// a success resets it. Retrying one operation is Polly's job (<see cref="Retries"/>); this paces a
/// loop that never gives up, so a failing resource is not hammered.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan max)
{
    private int _failures;

    /// <summary>The pause the next failure waits: first × 2^failures so far, at most max.</summary>
    public TimeSpan Next => TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks << Math.Min(_failures, 20)));

    public void Reset() => _failures = 0;

    /// <summary>Waits after a failure (returns early, without throwing, when cancelled).</summary>
    public async Task WaitAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var delay = Next;
        _failures++;
        await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
