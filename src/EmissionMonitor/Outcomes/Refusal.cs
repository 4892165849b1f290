namespace EmissionMonitor.Outcomes;

/// <summary>
/// Why a step of the domain (filing a mark, answering an order, sending a command, receiving a file)
/// did not happen, in the domain's words — <see cref="None"/> when it did. Only the HTTP API turns
/// it into a status code (Api/Refusals).
/// </summary>
public enum Refusal
{
    /// <summary>It happened.</summary>
    None,

    /// <summary>A value given is not valid (the outcome names the parameter).</summary>
    Invalid,

    /// <summary>The user may not do this to this thing.</summary>
    NotAllowed,

    /// <summary>No such thing, or not one the user may see.</summary>
    NotFound,

    /// <summary>The thing's state does not allow the step.</summary>
    Conflict,

    /// <summary>A budget is spent (filings a day, pending marks, upload bytes a day).</summary>
    TooMany,

    /// <summary>A file larger than allowed.</summary>
    TooLarge,

    /// <summary>Content of a kind not taken.</summary>
    UnsupportedContent,

    /// <summary>No room on the disk to keep it.</summary>
    NoRoom,
}
