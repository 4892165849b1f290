namespace EmissionMonitor.Users;

/// <summary>Text a user sent, as an answer may quote it.</summary>
public static class UserText
{
    /// <summary>A value as shown in an error: cut, so a huge parameter does not come back whole.</summary>
    public static string Shown(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
