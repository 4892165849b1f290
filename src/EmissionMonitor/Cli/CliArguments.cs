namespace EmissionMonitor.Cli;

/// <summary>
/// Parsed command-line arguments: <c>--name value</c> options, <c>--flag</c> switches and positional
/// arguments. Every option must be declared by the command; anything else is a usage error naming it.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    private CliArguments(List<string> positional) => Positional = positional;

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/> against the options a command declares.</summary>
    public static CliArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> switchOptions)
    {
        var positional = new List<string>();
        var result = new CliArguments(positional);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positional.Add(arg);
                continue;
            }

            string name = arg;
            string? inline = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                inline = arg[(eq + 1)..];
            }

            if (switchOptions.Contains(name))
            {
                if (inline is not null)
                {
                    throw new UsageException($"option {name} takes no value");
                }

                result._switches.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                string? value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (value is null)
                {
                    throw new UsageException($"option {name} needs a value");
                }

                if (!result._values.TryAdd(name, value))
                {
                    throw new UsageException($"option {name} is given twice");
                }
            }
            else
            {
                throw new UsageException($"unknown option {name}");
            }
        }

        return result;
    }

    /// <summary>The value of an option, or null.</summary>
    public string? Value(string name) => _values.GetValueOrDefault(name);

    /// <summary>True when a switch was given.</summary>
    public bool Has(string name) => _switches.Contains(name) || _values.ContainsKey(name);

    /// <summary>An integer option, or the default; a usage error naming the option when malformed.</summary>
    public int Int(string name, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Value(name) is not { } text)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) || v < min || v > max)
        {
            throw new UsageException($"option {name} needs a whole number from {min} to {max}, not '{text}'");
        }

        return v;
    }

    /// <summary>A fraction or decimal option, or the default.</summary>
    public double Double(string name, double defaultValue, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Value(name) is not { } text)
        {
            return defaultValue;
        }

        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || v < min || v > max || !double.IsFinite(v))
        {
            throw new UsageException($"option {name} needs a number from {min} to {max}, not '{text}'");
        }

        return v;
    }

    /// <summary>A duration option (<c>30s</c>, <c>5m</c>, <c>2h</c>, or <c>hh:mm:ss</c>), or the default.</summary>
    public TimeSpan Duration(string name, TimeSpan defaultValue)
    {
        if (Value(name) is not { } text)
        {
            return defaultValue;
        }

        return DurationText.TryParse(text, out var d) && d > TimeSpan.Zero
            ? d
            : throw new UsageException($"option {name} needs a duration such as 30s, 5m, 2h or 00:10:00, not '{text}'");
    }
}
