namespace EmissionMonitor.Users;

/// <summary>An API user from <c>Api:Users</c>: a bearer token, a role and, for enterprise users, their enterprise.</summary>
public sealed class ApiUser
{
    public const string Operator = "operator";
    public const string Inspector = "inspector";
    public const string EnterpriseRole = "enterprise";

    public string Token { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;

    public string? Enterprise { get; set; }

    public string? Name { get; set; }

    /// <summary>Who the user is in records (acknowledgements, lifts): the name, or the role.</summary>
    public string DisplayName => Name ?? (Enterprise is null ? Role : $"{Role}:{Enterprise}");
}
