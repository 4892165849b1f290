namespace EmissionMonitor.Ingestion.Connecting;

/// <summary>How long a listener waits after a failed accept: 10 ms doubling to 1 s, reset by a success.</summary>
public sealed class AcceptBackoff
{
    private int _failures;

    public void Reset() => _failures = 0;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(Math.Min(1000, 10 << Math.Min(_failures++, 7)));
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // stopping: the accept loop ends on its own check
        }
    }
}
