using EmissionMonitor.Hj212;

namespace EmissionMonitor.Cli;

/// <summary>Counts decoded frames and failures by error code, and prints the summary line.</summary>
public sealed class DecodeTally
{
    private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);

    /// <summary>Frames decoded.</summary>
    public long Decoded { get; private set; }

    /// <summary>Frames and runs that failed.</summary>
    public long Failed { get; private set; }

    /// <summary>Failures of one code.</summary>
    public long FailuresOf(string error) => _failures.GetValueOrDefault(error);

    /// <summary>Counts one success.</summary>
    public void Ok() => Decoded++;

    /// <summary>Counts one failure.</summary>
    public void Fail(string error)
    {
        Failed++;
        _failures[error] = _failures.GetValueOrDefault(error) + 1;
    }

    /// <summary><c>decoded N, failed M (crc-mismatch n, …)</c>, codes in order of precedence.</summary>
    public override string ToString()
    {
        var parts = Hj212Errors.All.Where(e => _failures.ContainsKey(e)).Select(e => $"{e} {_failures[e]}").ToList();
        return parts.Count == 0
            ? $"decoded {Decoded}, failed {Failed}"
            : $"decoded {Decoded}, failed {Failed} ({string.Join(", ", parts)})";
    }
}
