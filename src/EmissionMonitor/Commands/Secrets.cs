namespace EmissionMonitor.Commands;

/// <summary>
/// Secrets in the text of a frame hidden as <c>***</c>: the terminal's password (<c>PW</c>), a new
/// SM4 key (<c>NewSK</c>) and a new password (<c>NewPW</c>). Command exchanges are kept and shown to
/// every reader of the command (inspectors, the live stream): a password there would let any of
/// them send data as the terminal.
/// </summary>
public static partial class Secrets
{
    public const string Mask = "***";

    /// <summary>The frame text with each secret's value replaced by <see cref="Mask"/>.</summary>
    public static string Hide(string frame) => SecretValue().Replace(frame, "$1" + Mask);

    [System.Text.RegularExpressions.GeneratedRegex("((?:^|[;,&#])(?:PW|NewSK|NewPW)=)[^;,&\\r\\n]*")]
    private static partial System.Text.RegularExpressions.Regex SecretValue();
}
